import { afterEach, describe, expect, test } from "vitest";
import { createLogger } from "../../src/obs/logger.ts";
import { createMetrics, type Metrics } from "../../src/obs/metrics.ts";
import { createApp, listen, type Mount, type RunningServer } from "../../src/server/http.ts";
import { makeTestCtx, type TestCtx } from "../helpers/ctx.ts";
import { metricValue } from "../helpers/metrics-text.ts";

/** The app over real HTTP on a free port, with a platform whose readiness the test decides. */
let t: TestCtx | undefined;
let running: RunningServer | undefined;
let metrics: Metrics | undefined;
afterEach(async () => {
  metrics?.close();
  await running?.close();
  running = undefined;
  t?.close();
  t = undefined;
});

async function serve(platformReady: () => string | null) {
  t = makeTestCtx();
  const mount: Mount = { name: "slack", describe: "test", mount: () => {}, ready: platformReady };
  metrics = createMetrics({ dbPath: t.dbPath, lastGoodBackup: () => null });
  const app = createApp(t.ctx, [mount], { logger: createLogger({ level: "silent" }), metrics });
  running = await listen(app, 0, [mount]);
  const base = `http://127.0.0.1:${running.port}`;
  return {
    t,
    get: async (path: string) => {
      const r = await fetch(`${base}${path}`);
      return {
        status: r.status,
        body: r.headers.get("content-type")?.includes("json") ? await r.json() : await r.text(),
      };
    },
  };
}

describe("/readyz, over real HTTP", () => {
  test("503 with the platform that is not ready named, and why; 200 once it is", async () => {
    let why: string | null = "Slack has not answered yet (auth.test): see the log";
    const app = await serve(() => why);
    expect(await app.get("/readyz")).toEqual({
      status: 503,
      body: {
        ready: false,
        notReady: ["slack"],
        checks: { database: "ready", slack: "Slack has not answered yet (auth.test): see the log" },
      },
    });
    why = null;
    expect(await app.get("/readyz")).toEqual({
      status: 200,
      body: { ready: true, notReady: [], checks: { database: "ready", slack: "ready" } },
    });
  });

  test("503 naming the database once its connection is closed; /healthz is not ready either, as before", async () => {
    const app = await serve(() => null);
    app.t.ctx.store.close();
    expect(await app.get("/readyz")).toEqual({
      status: 503,
      body: {
        ready: false,
        notReady: ["database"],
        checks: { database: "the database did not answer a query: the connection is closed", slack: "ready" },
      },
    });
    expect((await app.get("/healthz")).status).toBe(500);
    // Closed here already: the afterEach must not close it twice.
    t = undefined;
  });

  test("/metrics is served in Prometheus's format, commands counted as runCommand announces them", async () => {
    const app = await serve(() => null);
    await app.t.run("jane.smith@demo-agency.example", "whoami");
    await app.t.run("jane.smith@demo-agency.example", "mapped-with-family 99999");
    const r = await fetch(`http://127.0.0.1:${running!.port}/metrics`);
    expect(r.headers.get("content-type")).toContain("text/plain");
    const text = await r.text();
    expect(metricValue(text, "sos_commands_total", { kind: "whoami", outcome: "ok", surface: "cli" })).toBe(
      1,
    );
    expect(metricValue(text, "sos_commands_total", { kind: "log", outcome: "refused", surface: "cli" })).toBe(
      1,
    );
    expect(metricValue(text, "process_cpu_user_seconds_total", {})).toBeGreaterThanOrEqual(0);
  });
});
