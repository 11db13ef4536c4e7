import pg from "pg";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { makeInvocation } from "../../src/commands/invocation.ts";
import { OPERATOR } from "../../src/commands/views.ts";
import { digestPoster } from "../../src/digest/deliver.ts";
import type { Leader } from "../../src/digest/leader.ts";
import { LET_GO, type Lease } from "../../src/digest/lease.ts";
import { pgLeader } from "../../src/digest/pg-leader.ts";
import type { DigestMessage } from "../../src/digest/post.ts";
import { createRunner } from "../../src/digest/runner.ts";
import { createScheduler } from "../../src/digest/scheduler.ts";
import { teamDigest } from "../../src/digest/team-digest.ts";
import type { DigestView } from "../../src/digest/views.ts";
import type { Actor } from "../../src/domain/access.ts";
import type { NewRun } from "../../src/store/ledger.ts";
import { SCHEDULE_LOCK } from "../../src/store/pg/open.ts";
import {
  describeEachStore,
  emptyPgDatabase,
  makeStoreCtx,
  PG_AVAILABLE,
  type StoreTestCtx,
} from "../helpers/stores.ts";

// The digest ledger on both stores: one slot is posted once however many processes claim it, a
// forced run sits beside a posted one, and a run whose process stopped is resumed, not doubled.
// Then the schedules' leader on PostgreSQL: one instance leads, and another takes over when the
// leader's connection goes.

/** A platform that records each digest it is asked to post (one message each). */
function recordingPoster(platform: "slack" | "teams") {
  const sent: string[] = [];
  const poster = digestPoster<DigestMessage>({
    platform,
    name: platform === "slack" ? "Slack" : "Teams",
    channelFor: (scope) => (scope.kind === "team" ? `${platform}-${scope.teamId}` : `${platform}-managers`),
    addressOf: async (actor: Actor) => actor.email,
    layout: (_doc, message) => [message],
    pictureFile: false,
    thread: { place: "in the thread", unit: ["message", "messages"] },
    withLine: (m, line) => ({ ...m, text: `${m.text}\n${line}` }),
    async send(to) {
      sent.push(to.kind === "channel" ? to.channel : to.actor.email);
      return `ref-${sent.length}`;
    },
  });
  return { poster, sent };
}

/** A process as the ledger sees it: its name, a fixed wall clock, and which owners still run. */
function leaseOf(owner: string, running: readonly string[] = [owner]): Lease {
  const now = Date.parse("2016-03-07T08:00:00Z");
  return { owner, now: () => now, alive: (o) => running.includes(o) };
}

const MONDAY_8 = new Date("2016-03-07T08:00:00Z");
const KEY = { kind: "team", scope: "north", period: "2016-W10", platform: "slack" } as const;
const newRun = (over: Partial<NewRun> = {}): NewRun => ({
  ...KEY,
  status: "posting",
  owner: "a",
  ownedSince: "2016-03-07T08:00:00.000Z",
  heartbeatAt: "2016-03-07T08:00:00.000Z",
  late: false,
  forced: false,
  attempts: 0,
  scheduledFor: MONDAY_8.toISOString(),
  startedAt: MONDAY_8.toISOString(),
  ...over,
});

/** A team digest's view as the runner keeps it while posting, built on a SQLite copy of the demo. */
async function keptView(): Promise<DigestView> {
  const twin = await makeStoreCtx("sqlite");
  try {
    const env = makeInvocation(twin.ctx, OPERATOR, "digest", "channel");
    return teamDigest(env, "north", { asOf: "2016-03-07", period: "2016-W10", late: false });
  } finally {
    await twin.close();
  }
}

describeEachStore("the digest ledger", (kind) => {
  let s: StoreTestCtx;
  beforeEach(async () => {
    s = await makeStoreCtx(kind);
  }, 60_000);
  afterEach(async () => {
    await s.close();
  });

  const slots = async () => (await s.ctx.ledger.runs(KEY)).map((r) => [r.status, r.forced, r.owner]).sort();

  test("two claims of one slot at once: one run; the other is refused by the database", async () => {
    const [a, b] = await Promise.all([
      s.ctx.ledger.claim(newRun({ owner: "a" })),
      s.ctx.ledger.claim(newRun({ owner: "b" })),
    ]);
    expect([a === null, b === null].sort()).toEqual([false, true]);
    expect(await slots()).toHaveLength(1);
  });

  // Building a new digest reads the team's cases, which are on SQLite only until the digests' views
  // move (src/digest/team-digest.ts, another area this round): on PostgreSQL the same race is run
  // below on a stopped run's kept view, which needs no building.
  test.skipIf(kind === "postgres")(
    "two processes running one digest at once: it is posted once, and the other says it went",
    async () => {
      const one = recordingPoster("slack");
      const two = recordingPoster("slack");
      const runner = (owner: string, poster: typeof one) =>
        createRunner({ ctx: s.ctx, posters: [poster.poster], lease: leaseOf(owner, ["a", "b"]) });
      const outs = await Promise.all([
        runner("a", one).run({ kind: "team", scope: "north", at: MONDAY_8 }),
        runner("b", two).run({ kind: "team", scope: "north", at: MONDAY_8 }),
      ]);
      expect([...one.sent, ...two.sent]).toEqual(["slack-north"]);
      expect(outs.map((o) => o.outcomes[0]!.status).sort()).toEqual(["already", "posted"]);
      expect(await slots()).toEqual([["posted", false, expect.any(String)]]);
    },
  );

  test("a forced run stands beside a posted one; an unforced second claim does not", async () => {
    const posted = (await s.ctx.ledger.claim(newRun({ owner: "a" })))!;
    await s.ctx.ledger.finish(posted, { status: "posted" });
    expect(await s.ctx.ledger.claim(newRun({ owner: "b" }))).toBeNull();
    expect(await s.ctx.ledger.claim(newRun({ owner: "c", forced: true }))).not.toBeNull();
    expect(await s.ctx.ledger.claim(newRun({ owner: "d", forced: true }))).not.toBeNull();
    expect(await slots()).toEqual([
      ["posted", false, "a"],
      ["posting", true, "c"],
      ["posting", true, "d"],
    ]);
  });

  test("a run whose process stopped while posting is resumed once, in the same row", async () => {
    // It began before its process stopped, so it kept what it says: a resumed run posts that.
    const id = await s.ctx.ledger.claim(newRun({ owner: "gone", view: await keptView() }));
    const slack = recordingPoster("slack");
    // Two processes find it at once: one takes it over, the other leaves it to that one.
    const runner = (owner: string) =>
      createRunner({ ctx: s.ctx, posters: [slack.poster], lease: leaseOf(owner, ["a", "b"]) });
    const outs = await Promise.all([
      runner("a").run({ kind: "team", scope: "north", at: MONDAY_8 }),
      runner("b").run({ kind: "team", scope: "north", at: MONDAY_8 }),
    ]);
    expect(slack.sent).toEqual(["slack-north"]);
    expect(outs.map((o) => o.outcomes[0]!.status).sort()).toEqual(["already", "posted"]);
    const runs = await s.ctx.ledger.runs(KEY);
    expect(runs.map((r) => [r.id, r.status])).toEqual([[id, "posted"]]);
    expect(["a", "b"]).toContain(runs[0]!.owner);
  });

  test("a run let go by an instance that stopped posting is resumed at once by another, though its last heartbeat was fresh", async () => {
    const id = (await s.ctx.ledger.claim(newRun({ owner: "a", view: await keptView() })))!;
    const slack = recordingPoster("slack");
    // "a" is on another machine (nobody here can ask it); its heartbeat is as fresh as can be.
    const other: Lease = {
      owner: "b",
      now: () => MONDAY_8.getTime(),
      alive: (o) => (o === "b" ? true : null),
    };
    const b = createRunner({ ctx: s.ctx, posters: [slack.poster], lease: other });
    expect((await b.run({ kind: "team", scope: "north", at: MONDAY_8 })).outcomes[0]).toMatchObject({
      status: "already",
    });
    // Stopping, "a" lets it go: another instance takes it over now, not a minute later.
    await s.ctx.ledger.finish(id, { heartbeatAt: LET_GO });
    expect((await b.run({ kind: "team", scope: "north", at: MONDAY_8 })).outcomes[0]).toMatchObject({
      status: "posted",
    });
    expect(slack.sent).toEqual(["slack-north"]);
    expect((await s.ctx.ledger.runs(KEY)).map((r) => [r.id, r.status, r.owner])).toEqual([
      [id, "posted", "b"],
    ]);
  });

  test("a take-over succeeds only on the run as it was read", async () => {
    const id = (await s.ctx.ledger.claim(newRun({ owner: "gone" })))!;
    const read = (await s.ctx.ledger.get(id))!;
    const own = (owner: string) => ({
      owner,
      ownedSince: "2016-03-07T08:05:00.000Z",
      heartbeatAt: "2016-03-07T08:05:00.000Z",
    });
    const [a, b] = await Promise.all([
      s.ctx.ledger.takeOver(read, own("a")),
      s.ctx.ledger.takeOver(read, own("b")),
    ]);
    expect([a, b].sort()).toEqual([false, true]);
    expect((await s.ctx.ledger.get(id))!.owner).toBe(a ? "a" : "b");
  });

  test("a failed run is not made posting again beside another unforced run that posts", async () => {
    const failed = (await s.ctx.ledger.claim(newRun({ owner: "x" })))!;
    await s.ctx.ledger.finish(failed, { status: "failed" });
    expect(await s.ctx.ledger.claim(newRun({ owner: "y" }))).not.toBeNull();
    const read = (await s.ctx.ledger.get(failed))!;
    expect(await s.ctx.ledger.takeOver(read, { owner: "z", ownedSince: null, heartbeatAt: null })).toBe(
      false,
    );
    expect((await s.ctx.ledger.get(failed))!.status).toBe("failed");
  });

  test("the week's nudge cap and recorded leave read back", async () => {
    const jane = s.as("jane.smith@demo-agency.example");
    const caseId = (await s.ctx.records.reads.openCases({}))[0]!.id;
    const run = (await s.ctx.ledger.claim(
      newRun({ kind: "nudge", scope: String(jane.staffId), period: "2016-03-07" }),
    ))!;
    await s.ctx.ledger.recordNudges(
      [
        { caseId, rule: "no-map" },
        { caseId, rule: "no-map" },
      ],
      "2016-W10",
      jane.staffId,
      run,
    );
    expect([...(await s.ctx.ledger.nudged("2016-W10"))]).toEqual([`${caseId} no-map`]);
    expect(await s.ctx.ledger.nudged("2016-W11")).toEqual(new Set());
    await s.run("jane.smith@demo-agency.example", "away 2016-03-08 to 2016-03-09");
    expect(await s.ctx.ledger.awayOn("2016-03-08")).toEqual(new Set([jane.staffId]));
    expect(await s.ctx.ledger.awayOn("2016-03-10")).toEqual(new Set());
  });
});

/** A leadership the test hands out and takes back, to see what the scheduler does with it. */
function heldLeader(): Leader & { set(leads: boolean): void } {
  let leads = false;
  const listeners: ((l: boolean) => void)[] = [];
  return {
    leads: () => leads,
    attempt: async () => leads,
    onChange: (l) => void listeners.push(l),
    stop: async () => {},
    set(next) {
      leads = next;
      for (const l of listeners) l(next);
    },
  };
}

// The scheduler's side of leading is the same on both stores; catching up builds digests, which
// read SQLite until the views move, so it is shown there.
describe("the schedules follow the leader", () => {
  let s: StoreTestCtx;
  beforeEach(async () => {
    s = await makeStoreCtx("sqlite");
  }, 60_000);
  afterEach(async () => {
    await s.close();
  });

  test("an instance that does not lead catches nothing up; taking the lead runs the catch-up", async () => {
    const slack = recordingPoster("slack");
    const leader = heldLeader();
    const runner = createRunner({ ctx: s.ctx, posters: [slack.poster], lease: leaseOf("a") });
    const scheduler = createScheduler(s.ctx, runner, { timers: false, leader });
    try {
      // The store's clock is Tuesday 1 March 2016: the week's team digest (Monday 08:00) is due.
      expect(await scheduler.catchUp()).toEqual([]);
      expect(slack.sent).toEqual([]);
      leader.set(true);
      const caught = await scheduler.catchUp();
      expect(caught.some((o) => o.kind === "team" && o.outcomes.some((p) => p.status === "posted"))).toBe(
        true,
      );
      expect(slack.sent).toContain("slack-north");
    } finally {
      await scheduler.stop();
    }
  });
});

describe.skipIf(!PG_AVAILABLE)("one leader for the schedules on PostgreSQL", () => {
  let db: { url: string; drop(): Promise<void> };
  const leaders: Leader[] = [];
  beforeEach(async () => {
    db = await emptyPgDatabase();
  }, 60_000);
  afterEach(async () => {
    for (const l of leaders.splice(0)) await l.stop();
    await db.drop();
  });

  /** An instance's leader, its retry timer in the test's hands. */
  function instance() {
    const beats: (() => void)[] = [];
    const changes: boolean[] = [];
    const leader = pgLeader({
      connect: async () => {
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        return c;
      },
      every: (_ms, fn) => {
        beats.push(fn);
        return () => beats.splice(0);
      },
    });
    leader.onChange((l) => changes.push(l));
    leaders.push(leader);
    return { leader, changes, beats };
  }

  /** Runs `sql` on a connection of the test's own. */
  async function admin<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query<T>(sql, params)).rows;
    } finally {
      await c.end();
    }
  }

  test("one of two instances leads; when its connection is cut, the other takes over on its next try", async () => {
    const a = instance();
    const b = instance();
    expect(await a.leader.attempt()).toBe(true);
    expect(await b.leader.attempt()).toBe(false);
    expect(await a.leader.attempt()).toBe(true);
    expect([a.leader.leads(), b.leader.leads()]).toEqual([true, false]);

    // The leader's session dies (a network cut, its host gone): the server lets the lock go with it.
    const lost = new Promise<void>((resolve) => a.leader.onChange((l) => !l && resolve()));
    const [holder] = await admin<{ pid: number }>(
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted",
      [SCHEDULE_LOCK],
    );
    expect(holder).toBeDefined();
    // With a timeout the call returns once the session has ended, its locks released.
    await admin("SELECT pg_terminate_backend($1, 30000)", [holder!.pid]);
    await lost;
    expect(a.leader.leads()).toBe(false);

    b.beats[0]!();
    await b.leader.attempt();
    expect(b.leader.leads()).toBe(true);
    expect(b.changes).toEqual([true]);
    // The old leader, connecting again, finds the lead taken.
    expect(await a.leader.attempt()).toBe(false);
    expect(a.changes).toEqual([true, false]);
  });

  test("a leader that stops lets the lead go at once", async () => {
    const a = instance();
    const b = instance();
    await a.leader.attempt();
    await a.leader.stop();
    expect(await b.leader.attempt()).toBe(true);
  });
});
