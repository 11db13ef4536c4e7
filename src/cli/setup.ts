import { relative } from "node:path";
import { type Booted, boot } from "../app/boot.ts";
import { resolveConfigPath, resolveDbPath } from "../app/paths.ts";

/** Config, database and clock, found the same way for every `sos` command. */
export function bootFromEnv(
  opts: { today?: string; db?: string } = {},
): Booted & { configPath: string; dbPath: string } {
  const configPath = resolveConfigPath(process.env, process.cwd());
  const dbPath = resolveDbPath(process.env, process.cwd(), opts.db);
  return {
    ...boot({ configPath, dbPath, env: process.env, ...(opts.today ? { today: opts.today } : {}) }),
    configPath,
    dbPath,
  };
}

export function shown(path: string): string {
  const r = relative(process.cwd(), path);
  return r.startsWith("..") || r === "" ? path : r;
}
