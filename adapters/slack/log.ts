import { type Logger, LogLevel } from "@slack/bolt";

/**
 * One line per thing worth an admin's attention, prefixed "Slack:". Never a payload: requests carry
 * children's names and notes, so only codes, ids and counts are logged.
 */
export type SlackLog = (line: string) => void;

export const stderrLog: SlackLog = (line) => {
  process.stderr.write(`Slack: ${line}\n`);
};

/**
 * What a thrown value says, without its payload: the Web API error code (`invalid_auth`), or for a
 * network failure the system's code (`ECONNREFUSED`, `ENOTFOUND`, a timeout).
 */
export function reason(e: unknown): string {
  if (typeof e !== "object" || e === null) return String(e);
  const err = e as {
    code?: unknown;
    data?: { error?: unknown };
    message?: unknown;
    original?: { code?: unknown; name?: unknown; cause?: { code?: unknown; message?: unknown } };
  };
  if (typeof err.data?.error === "string") return err.data.error;
  const net = err.original?.cause?.code ?? err.original?.code ?? err.original?.cause?.message;
  if (typeof net === "string") return net;
  if (err.original?.name === "TimeoutError" || err.original?.name === "AbortError") return "timed out";
  const message = typeof err.message === "string" ? err.message.split("\n")[0] : "";
  return (
    [typeof err.code === "string" ? err.code : "", message].filter(Boolean).join(": ") || "unknown error"
  );
}

/**
 * Bolt's logger, routed to ours, each message as one line: warnings and errors, or errors only for
 * the Web API client (whose warnings repeat every failed attempt that we log once ourselves).
 */
export function boltLogger(log: SlackLog, quiet = false): Logger {
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
    warn: (...msg: unknown[]) => {
      if (!quiet) log(`(bolt) ${text(msg)}`);
    },
    error: (...msg: unknown[]) => log(`(bolt) ${text(msg)}`),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
