import { type ChildProcess, type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { resolve } from "node:path";
import { type LogRecord, logMessages, logRecords } from "./log-lines.ts";

export const SOS = resolve(import.meta.dirname, "../../bin/sos.js");

/** A deadline for things a loaded 2-core machine may take a while to do; never waited out when working. */
export const PATIENCE_MS = 60_000;

/** `sos start` as a real child process: its banner, its log lines, waits on what it says. */
export interface RunningSos {
  readonly child: ChildProcess;
  readonly port: number;
  /** standard output so far (the banner) */
  out(): string;
  /** what the log has said so far, record by record (its messages: the JSON read) */
  logLines(): string[];
  /** standard error so far, as written (JSON lines) */
  err(): string;
  /** the first log line from `from` on matching `re`; rejects after PATIENCE_MS or if it exits */
  waitForLog(re: RegExp, from?: number): Promise<string>;
  /** the first line of standard error as written (not JSON: LOG_FORMAT=pretty) matching `re` */
  waitForRaw(re: RegExp): Promise<string>;
  /** the first log record `found` says yes to; rejects after PATIENCE_MS or if it exits */
  waitForRecord(found: (r: LogRecord) => boolean): Promise<LogRecord>;
  /** SIGTERM, then its exit code */
  stop(): Promise<number | null>;
}

export async function startSos(cwd: string, env: Record<string, string>): Promise<RunningSos> {
  const child = spawn(process.execPath, [SOS, "start"], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
  let gone = false;
  void exited.then(() => {
    gone = true;
    for (const l of listeners) l();
  });
  child.stdout!.on("data", (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  });
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
    for (const l of listeners) l();
  });
  const until = <T>(found: () => T | undefined, what: string): Promise<T> =>
    new Promise<T>((res, rej) => {
      const check = () => {
        const v = found();
        if (v !== undefined) {
          done();
          res(v);
        } else if (gone) {
          done();
          rej(new Error(`sos start exited before ${what}:\n${out}\n${err}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        rej(new Error(`no ${what} within ${PATIENCE_MS} ms:\n${out}\n${err}`));
      }, PATIENCE_MS);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  // Only whole lines: a record being written is read once it ends.
  const lines = () => logMessages(err.slice(0, err.lastIndexOf("\n") + 1));
  const port = await until(() => {
    const m = /Server: +http:\/\/[^:]+:(\d+)/.exec(out);
    return m && out.includes("Console:") ? Number(m[1]) : undefined;
  }, "banner");
  return {
    child,
    port,
    out: () => out,
    err: () => err,
    logLines: lines,
    waitForLog: (re, from = 0) =>
      until(
        () =>
          lines()
            .slice(from)
            .find((l) => re.test(l)),
        `log line ${re}`,
      ),
    waitForRaw: (re) =>
      until(
        () =>
          err
            .slice(0, err.lastIndexOf("\n") + 1)
            .split("\n")
            .find((l) => re.test(l)),
        `line ${re}`,
      ),
    waitForRecord: (found) =>
      until(() => logRecords(err.slice(0, err.lastIndexOf("\n") + 1)).find(found), "log record"),
    async stop() {
      if (!gone) child.kill("SIGTERM");
      return exited;
    },
  };
}

/**
 * Another `sos` command beside the running one, on the same files. Not spawnSync: this process
 * holds the platform stand-ins the running app may be talking to meanwhile.
 */
export function sos(
  cwd: string,
  env: Record<string, string>,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [SOS, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((res) => child.once("exit", (status) => res({ status, stdout, stderr })));
}

/** What a finished `sos` command printed, and how it exited. */
export interface SosRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/**
 * A `sos` command started with only PATH, HOME and `env` in its environment: the child (to signal
 * it), and its output once it exits. `input`, when given, is written to its stdin, which is then
 * closed; without it stdin stays open, as a terminal's would.
 */
export function spawnSos(
  cwd: string,
  args: readonly string[],
  env: Record<string, string>,
  input?: string,
): { child: ChildProcessWithoutNullStreams; done: Promise<SosRun> } {
  const child = spawn(process.execPath, [SOS, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (b: Buffer) => {
    out += b;
  });
  child.stderr.on("data", (b: Buffer) => {
    err += b;
  });
  const done = new Promise<SosRun>((res, rej) => {
    child.once("error", rej);
    child.once("exit", (code) => res({ code, out, err }));
  });
  if (input !== undefined) child.stdin.end(input);
  return { child, done };
}

/** A `sos` command run to its end (`spawnSos`), for its output and exit code. */
export function runSos(
  cwd: string,
  args: readonly string[],
  env: Record<string, string>,
  input?: string,
): Promise<SosRun> {
  return spawnSos(cwd, args, env, input).done;
}
