import { type Logger, LogLevel } from "@slack/bolt";

/**
 * One line per thing worth an admin's attention, prefixed "Slack:". Never a payload: requests carry
 * children's names and notes, so only codes, ids and counts are logged.
 */
export type SlackLog = (line: string) => void;

export const stderrLog: SlackLog = (line) => {
  process.stderr.write(`Slack: ${line}\n`);
};

/** What a thrown value says, without its payload: the Web API error code when there is one. */
export function reason(e: unknown): string {
  if (typeof e === "object" && e !== null) {
    const err = e as { code?: unknown; data?: { error?: unknown }; message?: unknown };
    const api = typeof err.data?.error === "string" ? err.data.error : undefined;
    const message = typeof err.message === "string" ? err.message.split("\n")[0] : undefined;
    return [api, typeof err.code === "string" ? err.code : undefined, api ? undefined : message]
      .filter(Boolean)
      .join(": ");
  }
  return String(e);
}

/** Bolt's logger, routed to ours: warnings and errors only, each as one line. */
export function boltLogger(log: SlackLog): Logger {
  let level = LogLevel.WARN;
  const text = (msg: unknown[]) =>
    msg
      .map((m) => (typeof m === "string" ? m : m instanceof Error ? reason(m) : ""))
      .filter(Boolean)
      .join(" ")
      .split("\n")[0]!;
  return {
    debug: () => {},
    info: () => {},
    warn: (...msg: unknown[]) => log(`(bolt) ${text(msg)}`),
    error: (...msg: unknown[]) => log(`(bolt) ${text(msg)}`),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
