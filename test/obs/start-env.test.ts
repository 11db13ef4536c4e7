import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { metricValue } from "../helpers/metrics-text.ts";
import { PATIENCE_MS, SOS, startSos } from "../helpers/sos-start.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-start-env-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const place = (name: string) => {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
};

describe("sos start reads .env, under what is already set", () => {
  test(
    "the file's variables are used and the banner says so; one already set keeps its value",
    async () => {
      const d = place("dotenv");
      // PORT is set by the caller (0, any free port): the file's 1 must not win.
      writeFileSync(join(d, ".env"), "SOS_DB=from-dotenv.db\nPORT=1\nLOG_LEVEL=warn # quiet\n");
      const app = await startSos(d, {});
      try {
        expect(app.out()).toContain("Database:  from-dotenv.db (new: loaded 6 demo cases");
        expect(app.out()).toContain("Env file:  read .env (2 set; PORT already set, kept as they were)\n");
        expect(app.port).not.toBe(1);
        expect(existsSync(join(d, "from-dotenv.db"))).toBe(true);
        // LOG_LEVEL=warn from the file: an answered request is not logged, a refused one is.
        await fetch(`http://127.0.0.1:${app.port}/healthz`);
        const bad = await fetch(`http://127.0.0.1:${app.port}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{not json",
        });
        expect(bad.status).toBe(400);
        await app.waitForLog(/^teams: refused a request \(HTTP 400\)/);
        expect(app.logLines().every((l) => !l.includes("answered 200"))).toBe(true);
      } finally {
        expect(await app.stop()).toBe(0);
      }
    },
    PATIENCE_MS * 2,
  );

  test(
    "no .env: nothing said about one",
    async () => {
      const d = place("no-dotenv");
      const app = await startSos(d, { SOS_DB: join(d, "sos.db") });
      try {
        expect(app.out()).not.toContain("Env file:");
      } finally {
        expect(await app.stop()).toBe(0);
      }
    },
    PATIENCE_MS * 2,
  );
});

describe("logs and metrics settings", () => {
  test.each([
    [
      { LOG_LEVEL: "verbose" },
      'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent (got "verbose")',
    ],
    [{ LOG_FORMAT: "xml" }, 'LOG_FORMAT must be json or pretty (got "xml")'],
    [{ METRICS_PORT: "metrics" }, 'METRICS_PORT must be a port number (got "metrics")'],
  ])("%j is refused in one sentence before anything is opened", (extra, sentence) => {
    const db = join(dir, `refused-${Object.keys(extra)[0]}.db`);
    const r = spawnSync(process.execPath, [SOS, "start"], {
      cwd: dir,
      input: "",
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", SOS_DB: db, PORT: "0", ...extra },
    });
    expect([r.status, r.stderr, r.stdout]).toEqual([2, `sos: ${sentence}\n`, ""]);
    expect(existsSync(db)).toBe(false);
  });

  test(
    "METRICS_PORT: /metrics on its own port (on this machine), and not beside the chat routes",
    async () => {
      const d = place("metrics-port");
      const app = await startSos(d, { SOS_DB: join(d, "sos.db"), METRICS_PORT: "0" });
      try {
        expect(app.out()).toMatch(/Server: +http:\/\/127\.0\.0\.1:\d+ {2}\(GET \/healthz, \/readyz\)\n/);
        const port = Number(/Metrics: +http:\/\/127\.0\.0\.1:(\d+)\/metrics\n/.exec(app.out())?.[1]);
        expect(port).toBeGreaterThan(0);
        expect((await fetch(`http://127.0.0.1:${app.port}/metrics`)).status).toBe(404);
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        expect(text).toContain("# HELP sos_commands_total");
        expect(metricValue(text, "sos_backup_age_seconds", {})).toBe(Number.POSITIVE_INFINITY);
      } finally {
        expect(await app.stop()).toBe(0);
      }
    },
    PATIENCE_MS * 2,
  );

  test(
    "HOST=0.0.0.0 without METRICS_PORT: the banner says /metrics is public and how to keep it on this machine",
    async () => {
      const d = place("public-metrics");
      const app = await startSos(d, { SOS_DB: join(d, "sos.db"), HOST: "0.0.0.0" });
      try {
        expect(app.out()).toContain(
          "Warning:   /metrics is served on 0.0.0.0 with the chat routes; set METRICS_PORT to serve it on this machine only (or refuse /metrics at your proxy).\n",
        );
      } finally {
        expect(await app.stop()).toBe(0);
      }
      const local = await startSos(d, { SOS_DB: join(d, "sos.db") });
      try {
        expect(local.out()).not.toContain("/metrics is served on");
      } finally {
        expect(await local.stop()).toBe(0);
      }
    },
    PATIENCE_MS * 2,
  );

  test(
    "LOG_FORMAT=pretty: lines for a person, with their level and words",
    async () => {
      const d = place("pretty");
      const app = await startSos(d, { SOS_DB: join(d, "sos.db"), LOG_FORMAT: "pretty" });
      try {
        await fetch(`http://127.0.0.1:${app.port}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{not json",
        });
        const line = await app.waitForRaw(/refused a request \(HTTP 400/);
        expect(line).toMatch(
          /^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: teams: refused a request \(HTTP 400\): the body is not a JSON object$/,
        );
      } finally {
        expect(await app.stop()).toBe(0);
      }
    },
    PATIENCE_MS * 2,
  );
});
