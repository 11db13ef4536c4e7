import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { PACKAGE_ROOT } from "../../../src/app/paths.ts";
import { appIcons } from "./icons.ts";
import { zip } from "./zip.ts";

/**
 * The Teams app package (what an admin uploads to Teams): `manifest/teams/manifest.json` with this
 * installation's ids filled in from the environment, the two icons, zipped flat.
 */

export const TEMPLATE = resolve(PACKAGE_ROOT, "manifest/teams/manifest.json");

export const PACKAGE_ENV = {
  /** the bot's Microsoft Entra app (client) id: the bot id, and the app id unless set apart */
  appId: "TEAMS_APP_ID",
  /** the Teams app's own id in the manifest, when it is not the bot id */
  manifestId: "TEAMS_MANIFEST_ID",
  /** comma-separated host names the app may open (none needed for the bot) */
  validDomains: "TEAMS_VALID_DOMAINS",
  /** the manifest's version; raise it for every upload that updates the app */
  version: "TEAMS_APP_VERSION",
} as const;

export interface Manifest {
  id: string;
  version: string;
  bots: { botId: string; [key: string]: unknown }[];
  validDomains: string[];
  [key: string]: unknown;
}

export interface PackageSettings {
  readonly appId: string;
  readonly manifestId: string;
  readonly validDomains: readonly string[];
  readonly version: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;
const SEMVER = /^\d+\.\d+\.\d+$/;
const ZERO = "00000000-0000-0000-0000-000000000000";

export function packageSettingsFromEnv(
  env: NodeJS.ProcessEnv,
  defaultVersion: string,
): { settings: PackageSettings } | { problems: string[] } {
  const get = (k: string) => env[k]?.trim() ?? "";
  const appId = get(PACKAGE_ENV.appId);
  const manifestId = get(PACKAGE_ENV.manifestId) || appId;
  const version = get(PACKAGE_ENV.version) || defaultVersion;
  const validDomains = get(PACKAGE_ENV.validDomains)
    .split(",")
    .map((d) =>
      d
        .trim()
        .replace(/^https?:\/\//i, "")
        .replace(/\/.*$/, ""),
    )
    .filter((d) => d !== "");
  const problems: string[] = [];
  if (!appId)
    problems.push(
      `${PACKAGE_ENV.appId} is not set: it is the bot's Microsoft Entra application (client) id.`,
    );
  else if (!GUID.test(appId) || appId === ZERO)
    problems.push(`${PACKAGE_ENV.appId} must be a GUID (got "${appId}").`);
  if (manifestId !== appId && (!GUID.test(manifestId) || manifestId === ZERO)) {
    problems.push(`${PACKAGE_ENV.manifestId} must be a GUID (got "${manifestId}").`);
  }
  for (const d of validDomains) {
    if (!HOST.test(d))
      problems.push(`${PACKAGE_ENV.validDomains}: "${d}" is not a host name like sos.agency.example.`);
  }
  if (!SEMVER.test(version)) problems.push(`${PACKAGE_ENV.version} must look like 1.0.0 (got "${version}").`);
  return problems.length > 0 ? { problems } : { settings: { appId, manifestId, validDomains, version } };
}

export function readTemplate(path = TEMPLATE): Manifest {
  return JSON.parse(readFileSync(path, "utf8")) as Manifest;
}

export function buildManifest(template: Manifest, s: PackageSettings): Manifest {
  return {
    ...template,
    id: s.manifestId,
    version: s.version,
    bots: template.bots.map((b) => ({ ...b, botId: s.appId })),
    validDomains: [...s.validDomains],
  };
}

export function buildPackage(template: Manifest, s: PackageSettings) {
  const manifest = buildManifest(template, s);
  const { color, outline } = appIcons();
  const files = {
    "manifest.json": Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
    "color.png": color,
    "outline.png": outline,
  };
  return { manifest, files, zip: zip(files) };
}
