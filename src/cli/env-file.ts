import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

export interface EnvFileRead {
  readonly path: string;
  /** the names it set */
  readonly set: readonly string[];
  /** the names it holds that were already set, and so kept as they were */
  readonly kept: readonly string[];
}

/**
 * `.env` in the working directory, when there is one, read by Node's own `process.loadEnvFile`:
 * it never overrides a variable already set (the service manager's, the shell's), so what an
 * operator sets on the command line always wins. Null when there is no such file.
 */
export function readEnvFile(cwd: string): EnvFileRead | null {
  const path = join(cwd, ".env");
  if (!existsSync(path)) return null;
  // parseEnv only names what the file holds, for the banner; loadEnvFile does the setting.
  const names = Object.keys(parseEnv(readFileSync(path, "utf8")));
  const kept = names.filter((n) => process.env[n] !== undefined);
  process.loadEnvFile(path);
  return { path, set: names.filter((n) => !kept.includes(n)), kept };
}
