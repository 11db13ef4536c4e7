import { type DestinationStream, type Level, type Logger, pino } from "pino";
import pretty from "pino-pretty";

export type { Logger } from "pino";

/** The levels `LOG_LEVEL` may name, quietest last. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/**
 * Anything that could hold a child's name or a note, or a credential, wherever it sits in what is
 * logged. Log lines are written by our code from ids and counts; this is the second guard, for a
 * field someone adds later (an error's payload, a request's headers).
 */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-slack-signature"]',
  "req.body",
  "res.headers",
  "*.token",
  "*.botToken",
  "*.appToken",
  "*.signingSecret",
  "*.password",
  "*.secret",
  "*.text",
  "*.note",
  "*.notes",
  "*.childName",
  "*.name",
  "*.names",
  "*.body",
  "*.payload",
  "*.activity",
];

export interface LoggerOptions {
  /** `LOG_LEVEL`; info when absent */
  readonly level?: string | undefined;
  /** human-readable lines instead of JSON (a terminal, local mode) */
  readonly pretty?: boolean;
  /** where lines go: standard error unless a test says otherwise */
  readonly stream?: DestinationStream;
}

/** The level `LOG_LEVEL` names, or the sentence saying what it may be. */
export function readLevel(given: string | undefined): { level: LogLevelName } | { problem: string } {
  const l = (given ?? "").trim().toLowerCase();
  if (l === "") return { level: "info" };
  const found = LOG_LEVELS.find((n) => n === l);
  return found
    ? { level: found }
    : { problem: `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${given}")` };
}

/**
 * Whether lines are pretty: `LOG_FORMAT=pretty|json` says; otherwise pretty on a terminal (local
 * mode's console chat), JSON anywhere else (a service manager, a container, a pipe), where a machine
 * reads them.
 */
export function prettyFromEnv(env: NodeJS.ProcessEnv, terminal: boolean): boolean {
  const f = env.LOG_FORMAT?.trim().toLowerCase();
  if (f === "pretty") return true;
  if (f === "json") return false;
  return terminal;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const read = readLevel(opts.level);
  const level = "level" in read ? read.level : "info";
  // Synchronous writes: a line logged just before the process exits is not lost.
  // Pretty leaves out what a request's message already says (method, path, status, time).
  const stream =
    opts.stream ??
    (opts.pretty
      ? pretty({
          destination: 2,
          sync: true,
          colorize: process.stderr.isTTY,
          ignore: "pid,hostname,req,res,responseTime",
        })
      : pino.destination({ dest: 2, sync: true }));
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      // Errors by their kind and code only: a message may quote what a person typed.
      serializers: { err: errorFields },
    },
    stream,
  );
}

/** What an error says about itself without its message (which may quote a payload). */
export function errorFields(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { type: typeof e };
  const code = (e as { code?: unknown }).code;
  return { type: e.name, ...(typeof code === "string" || typeof code === "number" ? { code } : {}) };
}

let processLogger: Logger | undefined;

/**
 * The process's one logger. `sos start` sets it up from `LOG_LEVEL`/`LOG_FORMAT` before anything
 * logs; anything asking before that (an adapter built in a test) gets one from the environment.
 */
export function logger(): Logger {
  processLogger ??= createLogger({
    level: process.env.LOG_LEVEL,
    pretty: prettyFromEnv(process.env, process.stderr.isTTY === true),
  });
  return processLogger;
}

export function setLogger(l: Logger): void {
  processLogger = l;
}

/**
 * The `(line) => void` the app's parts are given, as log records of one component: the line is the
 * message as it always read ("config: reloaded …"), the level chosen by the part that logs it.
 */
export function lineLog(
  log: Logger,
  component: string,
  level: Level | ((line: string) => Level) = "info",
): (line: string) => void {
  const child = log.child({ component });
  return (line) => child[typeof level === "function" ? level(line) : level](line);
}
