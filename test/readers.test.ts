import { afterAll, beforeAll, expect, test } from "vitest";
import { liveContext, settle } from "../src/app/context.ts";
import { makeInvocation } from "../src/commands/invocation.ts";
import { Busy } from "../src/commands/offload.ts";
import { type CommandInput, runCommand } from "../src/commands/run.ts";
import { homeData, OPERATOR } from "../src/commands/views.ts";
import { parseOrg } from "../src/config/load.ts";
import type { Org } from "../src/config/org.ts";
import { agencySummary } from "../src/digest/agency-summary.ts";
import { planNudges } from "../src/digest/nudges.ts";
import { teamDigest } from "../src/digest/team-digest.ts";
import { whiteboardModel } from "../src/digest/whiteboard.ts";
import { whiteboardSvg } from "../src/pictures/whiteboard-svg.ts";
import {
  DEFAULT_READER_HEAP_MB,
  type ReaderOptions,
  type Readers,
  readerHeapMb,
  startReaders,
} from "../src/server/readers.ts";
import { withReaders } from "../src/server/readers-context.ts";
import { ALISON, JANE, MORGAN, makeTestCtx, ROBIN, SAM, type TestCtx } from "./helpers/ctx.ts";
import { DEMO_YAML } from "./helpers/demo-config.ts";

/**
 * The reader threads answer exactly what the main thread would: the same commands, Home, digests
 * and whiteboard over their own read-only connection, with the config and the instant they are
 * sent, and a write on the main thread is seen by the next read.
 */

let t: TestCtx;
let org: Org;
let readers: Readers;
beforeAll(async () => {
  t = makeTestCtx();
  await t.run(JANE, "mapped-internal 12346 20/02/16");
  await t.run(SAM, "close 22346 safe-at-home");
  org = t.ctx.org;
  readers = startReaders({ dbPath: t.dbPath, source: () => ({ org, now: t.ctx.clock.now() }) });
});
afterAll(async () => {
  await readers.close();
  t.close();
});

/** One reader thread over the test's database, on its clock and config, with `opts` beside. */
const oneThread = (opts: Partial<ReaderOptions> = {}): Readers =>
  startReaders({
    dbPath: t.dbPath,
    threads: 1,
    source: () => ({ org: t.ctx.org, now: t.ctx.clock.now() }),
    ...opts,
  });

const input = (email: string, text: string): CommandInput => ({
  actor: t.as(email),
  text,
  surface: "slack",
  audience: "private",
});

test.each([
  [JANE, "mine"],
  [JANE, "mine statutory-cp"],
  [JANE, "case 12345"],
  [JANE, "stuck"],
  [JANE, "export csv"],
  [SAM, "team"],
  [SAM, "stuck"],
  [SAM, "digest preview"],
  [SAM, "audit 12345"],
  [MORGAN, "agency"],
  [MORGAN, "stuck"],
  [MORGAN, "digest agency preview"],
  [JANE, "case 99999"],
  [JANE, "team"],
])("%s: /sos %s from a reader is the reply the main thread gives", async (who, text) => {
  const there = await readers.run("command", input(who, text));
  expect(there).toEqual(await runCommand(t.ctx, input(who, text)));
  expect(there.text.length).toBeGreaterThan(0);
});

test.each([JANE, SAM, MORGAN, ROBIN])("%s's App Home from a reader is the one built here", async (who) => {
  expect(await readers.run("home", { actor: t.as(who) })).toEqual(await homeData(t.ctx, t.as(who)));
});

test("digests, nudges and the whiteboard from a reader are the ones built here", async () => {
  const req = { asOf: "2016-03-01", period: "2016-W09", late: false };
  const env = makeInvocation(t.ctx, OPERATOR, "digest", "channel");
  expect(await readers.run("teamDigest", { ...req, teamId: "north" }, { background: true })).toEqual(
    await teamDigest(env, "north", req),
  );
  expect(await readers.run("agencySummary", req, { background: true })).toEqual(
    await agencySummary(env, req),
  );
  expect(await readers.run("nudges", { teamId: "north", day: "2016-03-01" }, { background: true })).toEqual(
    await planNudges(t.ctx, "north", "2016-03-01"),
  );
  const model = await whiteboardModel(env, "north");
  expect(await readers.run("whiteboard", { teamId: "north" }, { background: true })).toEqual({
    model,
    full: whiteboardSvg(model, { size: "full" }),
    compact: whiteboardSvg(model, { size: "compact" }),
  });
});

test("a write on the main thread is in the next read a reader makes", async () => {
  expect((await t.run(JANE, "three-houses 12346 21/02/16")).ok).toBe(true);
  const reply = await readers.run("command", input(JANE, "case 12346"));
  expect(reply.text).toContain("21/02/16");
  expect(reply).toEqual(await runCommand(t.ctx, input(JANE, "case 12346")));
});

test("a reader answers under the config it is sent with each job: a reload is seen at once", async () => {
  const before = await readers.run("command", input(JANE, "mine statutory-cp"));
  expect(before.dashboards![0]!.columns).toContain("Danger Statement");
  org = parseOrg(
    `${DEMO_YAML}\ndashboards:\n  statutory-cp:\n    relabel: { danger-statement: Danger Statements Agreed }\n`,
    "reloaded.config.yaml",
  );
  const after = await readers.run("command", input(JANE, "mine statutory-cp"));
  expect(after.dashboards![0]!.columns).toContain("Danger Statements Agreed");
  org = t.ctx.org;
});

test("the instant a job is asked at is the reader's now: ages and stuck days as of the main thread's clock", async () => {
  const reply = await readers.run("command", input(ALISON, "whoami"));
  expect(reply).toEqual(await runCommand(t.ctx, input(ALISON, "whoami")));
});

test("when more people's jobs wait than can be served, the next is refused at once with Busy", async () => {
  const small = oneThread({ maxWaiting: 1, depth: 1 });
  try {
    // The first goes to the one thread, the second waits, the third finds the queue full. A
    // digest's job is never refused: it waits behind.
    const first = small.run("command", input(JANE, "mine"));
    const second = small.run("command", input(JANE, "stuck"));
    await expect(small.run("command", input(JANE, "case 12345"))).rejects.toBeInstanceOf(Busy);
    const digest = small.run("nudges", { teamId: "north", day: "2016-03-01" }, { background: true });
    expect(small.stats()).toEqual({ waiting: 1, background: 1, running: 1 });
    expect((await first).ok).toBe(true);
    expect((await second).ok).toBe(true);
    expect("nudges" in (await digest)).toBe(true);
    // Served, the queue takes jobs again.
    expect((await small.run("command", input(JANE, "case 12345"))).ok).toBe(true);
  } finally {
    await small.close();
  }
});

test("a thread is sent its next jobs before it answers the first, and answers each in turn", async () => {
  const ahead = oneThread({ maxWaiting: 1, depth: 3 });
  try {
    const asks = ["mine", "stuck", "case 12345", "case 12346"].map((text) =>
      ahead.run("command", input(JANE, text)),
    );
    // Three sent to the thread, one waiting: the queue of one is full, so a fifth is told busy.
    expect(ahead.stats()).toEqual({ waiting: 1, background: 0, running: 3 });
    await expect(ahead.run("command", input(JANE, "whoami"))).rejects.toBeInstanceOf(Busy);
    const answers = await Promise.all(asks);
    for (const [i, text] of ["mine", "stuck", "case 12345", "case 12346"].entries())
      expect(answers[i]).toEqual(await runCommand(t.ctx, input(JANE, text)));
    expect(ahead.stats()).toEqual({ waiting: 0, background: 0, running: 0 });
  } finally {
    await ahead.close();
  }
});

test("jobs sent ahead under configs the thread then drops are still answered under their own", async () => {
  const ahead = oneThread({ depth: 8 });
  try {
    // Five configs in a row, each with a job, all sent before the first answer: a thread keeps
    // three, so the fourth's and fifth's make it drop the first two, whose jobs are still queued.
    const labels = ["One", "Two", "Three", "Four", "Five"].map((n) => `Danger ${n}`);
    const orgs = labels.map((label) =>
      parseOrg(
        `${DEMO_YAML}\ndashboards:\n  statutory-cp:\n    relabel: { danger-statement: ${label} }\n`,
        "reloaded.config.yaml",
      ),
    );
    const replies = await Promise.all(
      orgs.map((o) => ahead.run("command", input(JANE, "mine statutory-cp"), { org: o })),
    );
    expect(replies.map((r) => r.dashboards?.[0]?.columns.find((c) => c.startsWith("Danger ")))).toEqual(
      labels,
    );
  } finally {
    await ahead.close();
  }
});

test("sos start's context: reads go to a reader under the config the command was pinned with, writes stay here", async () => {
  const { ctx: live, config } = liveContext(t.ctx);
  const sent: string[] = [];
  const counting: Readers = {
    ...readers,
    run: (job, args, o) => {
      sent.push(`${job} under ${o?.org === t.ctx.org ? "the first config" : "another"}`);
      return readers.run(job, args, o);
    },
  };
  const served = withReaders(live, counting);
  const mine = input(JANE, "mine statutory-cp");
  expect(await runCommand(served, mine)).toEqual(await runCommand(t.ctx, mine));
  expect(sent).toEqual(["command under the first config"]);

  // A write is carried out here, on the one writing connection, and the next read sees it.
  expect((await runCommand(served, input(JANE, "danger-statement 12346 22/02/16"))).ok).toBe(true);
  expect(sent).toHaveLength(1);
  expect((await runCommand(served, input(JANE, "case 12346"))).text).toContain("22/02/16");

  // Pinned before a reload, a context keeps its config; the live one has the new one at once.
  const pinned = served.pin();
  const reloaded = parseOrg(
    `${DEMO_YAML}\ndashboards:\n  statutory-cp:\n    relabel: { danger-statement: Danger Statements Agreed }\n`,
    "reloaded.config.yaml",
  );
  config.swap(settle(reloaded, t.ctx.store));
  expect((await runCommand(served, mine)).dashboards![0]!.columns).toContain("Danger Statements Agreed");
  expect((await pinned.readers!.run("command", mine)).dashboards![0]!.columns).toContain("Danger Statement");
  expect(sent.slice(-2)).toEqual(["command under another", "command under the first config"]);
});

test("with no reader thread able to run (a database it cannot open), people are told the server is busy, not left waiting", async () => {
  const lines: string[] = [];
  const broken = oneThread({ dbPath: `${t.dir}/not-there.db`, log: (l) => lines.push(l) });
  try {
    // The job sent to the thread as it fails is refused with it; then no thread is left.
    await expect(broken.run("command", input(JANE, "mine"))).rejects.toThrow();
    await expect(broken.run("command", input(JANE, "stuck"))).rejects.toBeInstanceOf(Busy);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^reader: a reader thread failed \((SQLITE_CANTOPEN|SqliteError|Error)\)$/);
  } finally {
    await broken.close();
  }
});

test("each reader thread's heap is bounded: one that needs more stops, its job is refused and nothing waits on silence", async () => {
  const lines: string[] = [];
  // 4 MB of old generation cannot hold the reader's own modules: the thread runs out as it loads.
  const starved = oneThread({ heapMb: 4, log: (l) => lines.push(l) });
  try {
    await expect(starved.run("command", input(JANE, "mine"))).rejects.toThrow();
    await expect(starved.run("command", input(JANE, "stuck"))).rejects.toBeInstanceOf(Busy);
    expect(lines[0]).toBe("reader: a reader thread failed (ERR_WORKER_OUT_OF_MEMORY)");
  } finally {
    await starved.close();
  }
});

test("SOS_READER_HEAP_MB sets each reader thread's heap, and a wrong one is refused in one sentence", () => {
  expect(readerHeapMb({})).toBe(DEFAULT_READER_HEAP_MB);
  expect(readerHeapMb({ SOS_READER_HEAP_MB: " 256 " })).toBe(256);
  for (const bad of ["lots", "12", "64.5", "99999"])
    expect(() => readerHeapMb({ SOS_READER_HEAP_MB: bad })).toThrow(
      `SOS_READER_HEAP_MB must be a whole number of megabytes from 32 to 4096 (got "${bad}")`,
    );
});
