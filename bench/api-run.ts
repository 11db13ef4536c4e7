/**
 * The API's figures (issue 14), on the synthetic agency in the file given: a batch of 1,000 entries
 * through POST /api/v1/practice beside the same 1,000 through the command layer one by one, and
 * single entries with 8 requests in flight beside `runCommand` with 8 in flight. Run by bench/api.ts
 * in a child process; prints table rows as JSON.
 */
import { newToken, tokenHash } from "../src/api/clients.ts";
import { apiMount } from "../src/api/mount.ts";
import { dayClock } from "../src/commands/clock.ts";
import { runCommand } from "../src/commands/run.ts";
import { addDays } from "../src/domain/dates.ts";
import { createApp, listen } from "../src/server/http.ts";
import { sqliteApiClients } from "../src/store/api-clients.ts";
import { startCheckpointer } from "../src/store/checkpointer.ts";
import { openStore } from "../src/store/open.ts";
import { percentile } from "./stats.ts";
import { SHAPE, syntheticContext, TODAY } from "./synthetic.ts";

const path = process.argv[2];
if (!path) throw new Error("usage: api-run.ts <db path>");
const store = openStore(path);
const checkpointer = startCheckpointer(store);
const ctx = syntheticContext(store, dayClock(TODAY, "Europe/London"), SHAPE);
const token = newToken();
sqliteApiClients(store.db).add({
  name: "bench",
  tokenHash: tokenHash(token),
  scopes: ["practice:write"],
  teams: [],
  createdAt: new Date().toISOString(),
});
// The rate limit is lifted: it would measure the limit, not the API.
const mount = apiMount(ctx, { log: () => {}, rate: { requests: 1e9, windowMs: 1000 } });
const server = await listen(createApp(ctx, [mount]), 0, [mount]);
const url = `http://127.0.0.1:${server.port}/api/v1/practice`;

const cases = store.sqlite.prepare("SELECT id, worker_id AS workerId FROM cases ORDER BY id").all() as {
  id: string;
  workerId: number;
}[];
const emails = new Map(ctx.people.all().map((a) => [a.staffId, a]));
// The synthetic events stop 30 days before today: these days hold nothing yet, so nothing is refused
// as already recorded. Each measure takes its own cases.
let next = 0;
const entry = (day: number) => {
  const c = cases[next++ % cases.length]!;
  return {
    caseId: c.id,
    element: "mapping-with-family",
    date: addDays(TODAY, -21 - day),
    recordedBy: emails.get(c.workerId)!.email,
  };
};

async function post(body: unknown): Promise<number> {
  const r = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await r.arrayBuffer();
  return r.status;
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const rows: string[][] = [];

// 1. batches of 1,000: through the API (HTTP, JSON, every entry decided as log decides it, one
// transaction) and the same kind of 1,000 through runCommand one by one (1,000 transactions).
const RUNS = 5;
const apiBatch: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const entries = Array.from({ length: 1000 }, () => entry(r));
  const t0 = performance.now();
  const status = await post({ entries });
  apiBatch.push(seconds(t0));
  if (status !== 201) throw new Error(`the batch was refused (${status})`);
}
const cmdBatch: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const entries = Array.from({ length: 1000 }, () => entry(r));
  const t0 = performance.now();
  for (const e of entries) {
    const actor = ctx.people.byEmail(e.recordedBy)!;
    const reply = await runCommand(ctx, {
      actor,
      command: {
        kind: "log",
        element: "mapping-with-family",
        caseId: e.caseId,
        date: e.date,
        value: null,
        note: null,
      },
      surface: "cli",
      audience: "private",
    });
    if (!reply.ok) throw new Error(`a log was refused: ${reply.issue?.code}`);
  }
  cmdBatch.push(seconds(t0));
}
const med = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
rows.push([
  `1,000 entries, one API batch (median of ${RUNS})`,
  (med(apiBatch) * 1000).toFixed(0),
  "",
  `${(med(cmdBatch) / med(apiBatch)).toFixed(1)}× faster than one by one`,
]);
rows.push([
  `1,000 entries, runCommand one by one (median of ${RUNS})`,
  (med(cmdBatch) * 1000).toFixed(0),
  "",
  "1,000 transactions",
]);

// 2. single entries, 8 in flight: each of 8 senders waits for its answer before the next.
async function inFlight(n: number, total: number, send: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < total) {
        const mine = i++;
        const t0 = performance.now();
        await send(mine);
        times.push(performance.now() - t0);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}
const SINGLE = 2000;
const api = await inFlight(8, SINGLE, async (i) => {
  const status = await post(entry(i % 5));
  if (status !== 201) throw new Error(`an entry was refused (${status})`);
});
const cmd = await inFlight(8, SINGLE, async (i) => {
  const e = entry(i % 5);
  const reply = await runCommand(ctx, {
    actor: ctx.people.byEmail(e.recordedBy)!,
    command: {
      kind: "log",
      element: "mapping-with-family",
      caseId: e.caseId,
      date: e.date,
      value: null,
      note: null,
    },
    surface: "cli",
    audience: "private",
  });
  if (!reply.ok) throw new Error(`a log was refused: ${reply.issue?.code}`);
});
const p = (xs: number[], q: number) => percentile(xs, q);
rows.push([
  `single entry over HTTP, 8 in flight (${SINGLE.toLocaleString("en")} requests)`,
  p(api, 50).toFixed(2),
  p(api, 99).toFixed(2),
  `${(p(api, 50) / p(cmd, 50)).toFixed(1)}× the command layer (p50)`,
]);
rows.push([
  `runCommand, 8 in flight (${SINGLE.toLocaleString("en")} logs)`,
  p(cmd, 50).toFixed(2),
  p(cmd, 99).toFixed(2),
  "baseline",
]);

await server.close();
await checkpointer.stop();
store.close();
process.stdout.write(`${JSON.stringify(rows)}\n`);
