import { type Logger, LogLevel } from "@slack/bolt";
import { logger } from "../../src/obs/logger.ts";

/**
 * One line per thing worth an admin's attention, prefixed "Slack:". Never a payload: requests carry
 * children's names and notes, so only codes, ids and counts are logged.
 */
export type SlackLog = (line: string) => void;

/** Slack's good news, said once per connection; every other line it logs is a warning. */
const NEWS = /^(connected|reached Slack again|Socket Mode connected)/;

/** To the app's log: warnings, but for the lines saying Slack was reached. */
export const appLog: SlackLog = (line) =>
  logger().child({ component: "slack" })[NEWS.test(line) ? "info" : "warn"](`Slack: ${line}`);

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
  // The Slack SDK's own messages hold no payload; any other error's message might quote one.
  if (typeof err.code === "string" && err.code.startsWith("slack_") && typeof err.message === "string")
    return `${err.code}: ${err.message.split("\n")[0]}`;
  return errorKind(e);
}

/** `SqliteError SQLITE_BUSY at store/events.ts:120`: what failed and where, without the message. */
export function errorKind(e: unknown): string {
  if (!(e instanceof Error)) return typeof e;
  const code = (e as { code?: unknown }).code;
  const frame = e.stack?.split("\n").find((l) => /^\s+at /.test(l)) ?? "";
  const where = /([\w.-]+\/[\w.-]+\.[jt]s):(\d+)/.exec(frame);
  return [e.name, typeof code === "string" ? code : "", where ? `at ${where[1]}:${where[2]}` : ""]
    .filter(Boolean)
    .join(" ");
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
