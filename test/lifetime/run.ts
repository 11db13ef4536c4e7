import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { boot } from "../../src/app/boot.ts";
import { DEMO_CONFIG } from "../../src/app/paths.ts";
import { loadDemoData } from "../../src/demo/load.ts";

export const SOS = resolve(import.meta.dirname, "../../bin/sos.js");
/** Each test spawns several `sos` processes on a shared 2-core machine: minutes, not seconds, to be safe. */
export const SPAWNING = { timeout: 240_000 };

export interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** One `sos` command as a child process, in `dir`, with only the environment given. */
export function sos(dir: string, args: string[], env: Record<string, string>, input = ""): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SOS, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: "0", ...env },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b;
    });
    child.stderr.on("data", (b: Buffer) => {
      err += b;
    });
    child.once("error", fail);
    child.once("close", (code) => done({ code, out, err }));
    child.stdin.end(input);
  });
}

export interface Serving {
  readonly child: ChildProcessWithoutNullStreams;
  /** everything it has written so far */
  out(): string;
  err(): string;
  /** resolves once standard output (or error) contains the text */
  waitFor(text: string | RegExp, stream?: "out" | "err"): Promise<void>;
  stop(): Promise<number | null>;
}

/** `sos start` serving (no terminal: no console chat), with its output watched. */
export function serve(dir: string, env: Record<string, string>): Serving {
  const child = spawn(process.execPath, [SOS, "start"], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: "0", ...env },
  });
  const text = { out: "", err: "" };
  const waiters: (() => void)[] = [];
  const poke = () => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.on("data", (b: Buffer) => {
    text.out += b;
    poke();
  });
  child.stderr.on("data", (b: Buffer) => {
    text.err += b;
    poke();
  });
  const exited = new Promise<number | null>((res) => child.once("close", (code) => res(code)));
  return {
    child,
    out: () => text.out,
    err: () => text.err,
    waitFor(want, stream = "out") {
      return new Promise<void>((res, rej) => {
        const check = () => {
          const s = text[stream];
          if (typeof want === "string" ? s.includes(want) : want.test(s)) return res();
          if (child.exitCode !== null)
            return rej(new Error(`sos start exited ${child.exitCode}:\n${text.out}\n${text.err}`));
          waiters.push(check);
        };
        void exited.then(() => poke());
        check();
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** A demo database with its seed cases, set up in this process (as `sos demo` would). */
export function demoDb(dir: string, name = "sos.db"): string {
  const db = join(dir, name);
  const b = boot({
    configPath: DEMO_CONFIG,
    dbPath: db,
    env: {},
    today: "2016-03-01",
    open: { mode: "setup", command: "demo" },
  });
  loadDemoData(b.ctx);
  b.ctx.store.close();
  return db;
}
