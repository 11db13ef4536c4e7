import { busyTimeoutMs } from "../store/open.ts";

/**
 * The sentence for a database that stayed locked past the busy timeout: another process (a server
 * mid-write, an import, a backup) held it. The command's transaction did not happen.
 */
export function busySentence(env: NodeJS.ProcessEnv = process.env): string {
  const ms = busyTimeoutMs(env);
  const wait = ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
  return `the database is busy: another process has been writing to it for more than ${wait}, so this was not done. Try again when it has finished (an import, a backup or another sos command).`;
}

/** `SOS_BUSY_TIMEOUT_MS`, when set, must be whole milliseconds: a typo would otherwise wait 30 s. */
export function busyTimeoutProblem(env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = env.SOS_BUSY_TIMEOUT_MS;
  if (raw === undefined || raw.trim() === "" || /^\d+$/.test(raw.trim())) return null;
  return `SOS_BUSY_TIMEOUT_MS must be a whole number of milliseconds, like 30000 (got "${raw}")`;
}
