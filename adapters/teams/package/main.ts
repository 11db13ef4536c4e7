import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { PACKAGE_ROOT } from "../../../src/app/paths.ts";
import { buildPackage, packageSettingsFromEnv, readTemplate } from "./build.ts";

/**
 * `npm run teams:package`: writes dist/teams/sos-teams-app.zip (and its files beside it) from
 * manifest/teams/manifest.json and TEAMS_APP_ID, TEAMS_MANIFEST_ID, TEAMS_VALID_DOMAINS,
 * TEAMS_APP_VERSION. Exits 2 when a setting is missing or wrong, 1 when the manifest is not valid.
 */
async function main(): Promise<number> {
  const pkg = JSON.parse(readFileSync(resolve(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
  const read = packageSettingsFromEnv(process.env, pkg.version);
  if ("problems" in read) {
    for (const p of read.problems) process.stderr.write(`teams:package: ${p}\n`);
    process.stderr.write('teams:package: see docs/teams.md, "Set up in Teams".\n');
    return 2;
  }
  const { manifest, files, zip } = buildPackage(readTemplate(), read.settings);

  let checked = "not checked against the schema (dev dependencies not installed)";
  try {
    const { manifestProblems } = await import("./validate.ts");
    const problems = manifestProblems(manifest);
    if (problems.length > 0) {
      for (const p of problems) process.stderr.write(`teams:package: manifest.json ${p}\n`);
      return 1;
    }
    checked = `valid against the Teams manifest schema v${String(manifest.manifestVersion)}`;
  } catch (e) {
    if ((e as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw e;
  }

  const out = resolve(process.env.TEAMS_PACKAGE_DIR || join(PACKAGE_ROOT, "dist/teams"));
  mkdirSync(out, { recursive: true });
  for (const [name, data] of Object.entries(files)) writeFileSync(join(out, name), data);
  const zipPath = join(out, "sos-teams-app.zip");
  writeFileSync(zipPath, zip);
  const shown = relative(process.cwd(), zipPath) || zipPath;
  process.stdout.write(
    `Teams app package: ${shown} (${zip.length} bytes)\n` +
      `  app id ${manifest.id}, bot id ${read.settings.appId}, version ${manifest.version}\n` +
      `  manifest ${checked}\n` +
      "Upload it in Teams: Apps > Manage your apps > Upload an app (or the Teams admin center).\n",
  );
  return 0;
}

process.exitCode = await main();
