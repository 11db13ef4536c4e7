import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { PACKAGE_ROOT } from "../util/package-root.ts";

/** The package's own folder, for files shipped with it (the demo config, migrations). */
export { PACKAGE_ROOT };
export const DEMO_CONFIG = resolve(PACKAGE_ROOT, "examples/demo.config.yaml");

/**
 * Config: `SOS_CONFIG`, else `./sos.config.yaml`, else the demo agency. Every `sos` command and the
 * server resolve it this same way.
 */
export function resolveConfigPath(env: NodeJS.ProcessEnv, cwd: string): string {
  if (env.SOS_CONFIG) return resolve(cwd, env.SOS_CONFIG);
  const local = resolve(cwd, "sos.config.yaml");
  return existsSync(local) ? local : DEMO_CONFIG;
}

/** Database: an explicit `--db`, else `SOS_DB`, else `./data/sos.db` (its folder is created). */
export function resolveDbPath(env: NodeJS.ProcessEnv, cwd: string, override?: string): string {
  if (override) return resolve(cwd, override);
  if (env.SOS_DB) return env.SOS_DB === ":memory:" ? ":memory:" : resolve(cwd, env.SOS_DB);
  return resolve(cwd, "data/sos.db");
}

/** A path as the person at the terminal would type it: relative when below the current folder. */
export function shown(path: string): string {
  // A database URL (DATABASE_URL, shown without its password) is not a path.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return path;
  const r = relative(process.cwd(), path);
  return r.startsWith("..") || r === "" ? path : r;
}
