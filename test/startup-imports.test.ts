import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// What a `sos` command loads decides how long it takes to start: the platform SDKs and the HTTP
// server alone took every command over a second (5-7 s on a loaded 2-core machine).
const SOS = resolve(import.meta.dirname, "../bin/sos.js");
const RECORDER = resolve(import.meta.dirname, "helpers/imports-recorder.mjs");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-imports-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `sos` with the import recorder; the URLs it loaded, and its output. */
function loaded(args: string[]): { code: number | null; out: string; urls: string[] } {
  const file = join(dir, `imports-${args.join("-").replace(/\W+/g, "_")}.txt`);
  const r = spawnSync(process.execPath, ["--import", RECORDER, SOS, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SOS_DB: join(dir, "demo.db"),
      SOS_RECORD_IMPORTS: file,
    },
  });
  return { code: r.status, out: r.stdout + r.stderr, urls: readFileSync(file, "utf8").trim().split("\n") };
}

const SERVER_ONLY = [
  "/@slack/bolt/",
  "/@microsoft/agents-hosting/",
  "/express/",
  "/src/server/",
  "/adapters/",
];
const APP = [
  "/better-sqlite3/",
  "/drizzle-orm/",
  "/src/app/",
  "/src/commands/",
  "/src/config/",
  "/yaml/",
  "/zod/",
];
const hits = (urls: string[], parts: string[]) => urls.filter((u) => parts.some((p) => u.includes(p)));

describe("each sos command loads only what it uses", () => {
  test("--help and `<command> --help` load the help texts and nothing of the app", () => {
    for (const args of [["--help"], ["help", "start"], ["dashboard", "--help"], ["start", "--help"]]) {
      const r = loaded(args);
      expect(r.code).toBe(0);
      expect(r.out).toContain("Usage: sos");
      expect(r.urls.some((u) => u.endsWith("/dist/src/cli/help.js"))).toBe(true);
      expect(hits(r.urls, [...SERVER_ONLY, ...APP])).toEqual([]);
    }
  });

  test("a command that reads the database loads the app but not the server or the platform SDKs", () => {
    expect(loaded(["demo", "--db", join(dir, "demo.db")]).code).toBe(0);
    const r = loaded(["dashboard", "--worker", "jane.smith@demo-agency.example", "--today", "2016-03-01"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Jane Smith's Cases");
    expect(hits(r.urls, ["/better-sqlite3/", "/src/commands/"]).length).toBeGreaterThan(0);
    expect(hits(r.urls, SERVER_ONLY)).toEqual([]);
  });

  test("the compiled JavaScript runs, not the TypeScript", () => {
    const r = loaded(["stuck", "--today", "2016-03-01"]);
    expect(r.code).toBe(0);
    expect(r.urls.filter((u) => u.includes("/src/") && !u.includes("/dist/src/"))).toEqual([]);
    expect(r.urls.some((u) => u.includes("/tsx/"))).toBe(false);
  });
});

/** `sos start` on the demo database until it serves, with the import recorder: the URLs it loaded. */
async function startLoads(name: string, env: Record<string, string>): Promise<string[]> {
  const db = join(dir, `start-${name}.db`);
  expect(loaded(["demo", "--db", db]).code).toBe(0);
  const file = join(dir, `imports-start-${name}.txt`);
  const child = spawn(process.execPath, ["--import", RECORDER, SOS, "start"], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SOS_DB: db,
      PORT: "0",
      HOST: "127.0.0.1",
      SOS_RECORD_IMPORTS: file,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  // Serving: the last banner line is written once everything `start` loads is loaded.
  await new Promise<void>((resolveServing, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("Console:")) resolveServing();
    });
    void exited.then(() => reject(new Error(`sos start exited: ${out}`)));
  });
  child.kill("SIGTERM");
  await exited;
  return readFileSync(file, "utf8").trim().split("\n");
}

const BOLT = "/@slack/bolt/";
const TEAMS_SDK = "/@microsoft/agents-hosting/";

describe("sos start on SQLite loads the platform it serves, not pg, nor the picture library", () => {
  test("local mode: Teams (anonymous), no Bolt; the renderer's process alone loads resvg", async () => {
    const urls = await startLoads("local", {});
    expect(hits(urls, [TEAMS_SDK, "/better-sqlite3/"]).length).toBeGreaterThan(0);
    expect(hits(urls, [BOLT, "/node_modules/pg/", "/@resvg/"])).toEqual([]);
  }, 120_000);

  test("Slack only: Bolt, not the Teams SDK", async () => {
    // Slack is never reached here: the background auth check fails and says so, serving goes on.
    const urls = await startLoads("slack", {
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: "secret",
      SLACK_API_URL: "http://127.0.0.1:9/api/",
    });
    expect(hits(urls, [BOLT]).length).toBeGreaterThan(0);
    expect(hits(urls, [TEAMS_SDK, "/node_modules/pg/", "/@resvg/"])).toEqual([]);
  }, 120_000);
});
