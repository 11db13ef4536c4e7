import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

export const SOS = resolve(import.meta.dirname, "../../bin/sos.js");

/** A deadline for things a loaded 2-core machine may take a while to do; never waited out when working. */
export const PATIENCE_MS = 60_000;

/** `sos start` as a real child process: its banner, its log lines, waits on what it says. */
export interface RunningSos {
  readonly child: ChildProcess;
  readonly port: number;
  /** standard output so far (the banner) */
  out(): string;
  /** standard error so far, line by line (the log) */
  logLines(): string[];
  /** the first log line from `from` on matching `re`; rejects after PATIENCE_MS or if it exits */
  waitForLog(re: RegExp, from?: number): Promise<string>;
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
  const lines = () => err.split("\n").filter((l) => l !== "");
  const port = await until(() => {
    const m = /Server: +http:\/\/[^:]+:(\d+)/.exec(out);
    return m && out.includes("Console:") ? Number(m[1]) : undefined;
  }, "banner");
  return {
    child,
    port,
    out: () => out,
    logLines: lines,
    waitForLog: (re, from = 0) =>
      until(
        () =>
          lines()
            .slice(from)
            .find((l) => re.test(l)),
        `log line ${re}`,
      ),
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
