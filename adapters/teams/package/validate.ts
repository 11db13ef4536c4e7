import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";

/**
 * Checks a manifest against Microsoft's Teams manifest schema for its `manifestVersion`, as shipped
 * in @microsoft/app-manifest (a dev dependency), offline. Returns the problems, empty when valid.
 */
export function manifestProblems(manifest: Readonly<Record<string, unknown>>): string[] {
  const version = String(manifest.manifestVersion);
  const path = createRequire(import.meta.url).resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
  );
  // The schema has "\a" and "\v" escapes that JSON does not allow (the package mends them the same way).
  const schema = JSON.parse(readFileSync(path, "utf8").replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"));
  const ajv = new Ajv04Module.default({ allErrors: true, strictTypes: false });
  addFormatsModule.default(ajv, ["uri", "email", "regex"]);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is not valid"}`);
}
