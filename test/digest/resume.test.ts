import { afterEach, describe, expect, test } from "vitest";
import { manualClock } from "../../src/commands/clock.ts";
import { digestPoster } from "../../src/digest/deliver.ts";
import { LET_GO, type Lease } from "../../src/digest/lease.ts";
import { PostError } from "../../src/digest/post.ts";
import { createRunner, type RunnerDeps } from "../../src/digest/runner.ts";
import { createScheduler } from "../../src/digest/scheduler.ts";
import { partsText } from "../../src/digest/text.ts";
import { JANE, makeTestCtx, SAM, type TestCtx } from "../helpers/ctx.ts";

/**
 * A digest run stopped part-way (its process killed, or a send with no answer) is resumed from its
 * first part not recorded, by exactly one process, and nothing is sent twice except a part whose
 * fate is unknown: that one once more, saying it may repeat. In one process, with controllable
 * leases and a platform that can hold or time out any send.
 */

let t: TestCtx;
afterEach(() => t?.close());

const MONDAY_8 = "2016-03-07T08:00:00Z";
const AT = new Date(MONDAY_8);
const run = { kind: "team", scope: "north", at: AT } as const;

/** What a send does: answer with a ref, throw, or never answer (a process stopped mid-send). */
type Behaviour = (index: number, text: string) => Promise<string>;

/** A platform laying each digest part out as one message of its own, recording what arrived. */
function platform() {
  const arrived: { index: number; text: string; thread: string | null }[] = [];
  const state: { behave: Behaviour | null } = { behave: null };
  const poster = digestPoster<string>({
    platform: "slack",
    name: "Slack",
    channelFor: () => "C-NORTH",
    addressOf: async (a) => a.email,
    layout: (doc) => doc.parts.map((p) => partsText([p])),
    pictureFile: false,
    thread: { place: "in the thread", unit: ["message", "messages"] },
    withLine: (m, line) => `${m}\n${line}`,
    async send(_to, part, { thread, index }) {
      if (part.kind !== "message") throw new Error("no files here");
      const ref = state.behave ? await state.behave(index, part.message) : `ts-${arrived.length + 1}`;
      arrived.push({ index, text: part.message, thread });
      return ref;
    },
  });
  return { poster, arrived, state };
}

/** One process's view of the others: which owners are still running, on a wall clock we move. */
function leases() {
  const wall = manualClock("2026-12-01T10:00:00Z");
  const running = new Map<string, boolean | null>();
  const lease = (owner: string): Lease => {
    running.set(owner, true);
    return { owner, now: () => wall.now().getTime(), alive: (o) => running.get(o) ?? null };
  };
  return { wall, running, lease };
}

const never = () => new Promise<string>(() => {});
/** Settles once the ledger shows the run has sent a part with this index (waits on the ledger). */
async function untilSending(index: number): Promise<void> {
  for (;;) {
    const rows = t.ctx.repo.digests.recent(5).flatMap((r) => t.ctx.repo.digests.parts(r.id));
    if (rows.some((p) => p.part === index && p.status === "sending")) return;
    await new Promise<void>((r) => setImmediate(r));
  }
}

async function setup() {
  const clock = manualClock(MONDAY_8);
  t = makeTestCtx({ clock });
  // Practice in the week, so the digest is a full one: heading, tables, lists, dashboards.
  expect((await t.run(JANE, "mapped-with-family 12345 2016-03-04")).ok).toBe(true);
  const p = platform();
  const l = leases();
  const runner = (owner: string, extra: Partial<RunnerDeps> = {}) =>
    createRunner({ ctx: t.ctx, posters: [p.poster], sleep: async () => {}, lease: l.lease(owner), ...extra });
  return { ...p, ...l, runner, clock };
}

const ledger = () => t.ctx.repo.digests.recent(10).filter((r) => r.kind === "team");

describe("a run whose process stopped while posting", () => {
  test("is resumed from its first part not recorded; the part it was sending goes once more, marked", async () => {
    const { runner, arrived, state, running } = await setup();
    // Process A: the first two parts arrive, the third is sent and A dies before Slack's answer.
    state.behave = async (i) => (i === 2 ? never() : `ts-${i}`);
    void runner("a").run(run);
    await untilSending(2);
    running.set("a", false);
    expect(arrived.map((a) => a.index)).toEqual([0, 1]);

    // Process B after the restart.
    state.behave = null;
    const b = await runner("b").run(run);
    expect(b.outcomes[0]).toMatchObject({ status: "posted" });
    const total = ledger()[0]!.partsTotal!;
    expect(arrived.map((a) => a.index)).toEqual(Array.from({ length: total }, (_, i) => i));
    // The third part may be on Slack twice: the copy sent now says so; nothing else repeats.
    expect(arrived[2]!.text).toContain(
      "This message may repeat one sent at 07/03/16 08:00 that Slack did not confirm.",
    );
    expect(arrived.filter((a) => a.text.includes("may repeat"))).toHaveLength(1);
    // All in the thread of the first message A posted.
    expect(arrived.slice(1).every((a) => a.thread === "ts-0")).toBe(true);
    expect(ledger()).toHaveLength(1);
    expect(ledger()[0]).toMatchObject({ status: "posted", owner: "b", view: null });
  });

  test("a stop in the back-off after a refusal resumes without a repeat line: the refused part never arrived", async () => {
    const { runner, arrived, state, running } = await setup();
    let waiting: (() => void) | undefined;
    state.behave = async (i) => {
      if (i === 1) throw new PostError("Slack could not take the post (internal_error).", true);
      return `ts-${i}`;
    };
    // A's back-off never ends: it is killed while waiting to try again.
    void runner("a", { sleep: () => new Promise<void>((r) => (waiting = r)) }).run(run);
    for (;;) {
      if (waiting) break;
      await new Promise<void>((r) => setImmediate(r));
    }
    running.set("a", false);
    state.behave = null;
    await runner("b").run(run);
    expect(arrived.filter((a) => a.index === 1)).toHaveLength(1);
    expect(arrived.some((a) => a.text.includes("may repeat"))).toBe(false);
  });

  test("the start-up catch-up finds it and resumes it", async () => {
    const { runner, arrived, state, running } = await setup();
    state.behave = async (i) => (i === 1 ? never() : `ts-${i}`);
    void runner("a").run(run);
    await untilSending(1);
    running.set("a", false);
    state.behave = null;
    const b = runner("b");
    const caught = await createScheduler(t.ctx, b, { timers: false }).catchUp();
    expect(caught.find((o) => o.kind === "team")?.outcomes[0]).toMatchObject({ status: "posted" });
    expect(arrived[0]!.index).toBe(0);
    expect(arrived.filter((a) => a.index === 0)).toHaveLength(1);
    expect(await b.ranFor("team", "north", AT)).toBe(true);
  });

  test("it says what it said when it began, though the record changed since", async () => {
    const { runner, arrived, state, running } = await setup();
    state.behave = async (i) => (i === 1 ? never() : `ts-${i}`);
    void runner("a").run(run);
    await untilSending(1);
    running.set("a", false);
    // Practice logged and a case opened after the digest began: the rest of it is not redrawn.
    await t.run(JANE, "mapped-with-family 22345 2016-03-04");
    await t.run(SAM, `open 40001 "Tia Brown" 7 cp ${JANE} 2016-03-02`);
    state.behave = null;
    await runner("b").run(run);
    const text = arrived.map((a) => a.text).join("\n");
    expect(text).not.toContain("40001");
    expect(text).toContain("6 open cases · 1 with practice logged this week");
  });
});

describe("two processes", () => {
  test("a run still being posted by a live process is left to it, and says so", async () => {
    const { runner, arrived, state, wall } = await setup();
    state.behave = async (i) => (i === 1 ? never() : `ts-${i}`);
    void runner("a").run(run);
    await untilSending(1);
    wall.advance(12_000);
    const b = runner("b");
    const r = await b.run(run);
    expect(r.outcomes[0]).toMatchObject({
      status: "already",
      detail: "still posting in another process (started 12 s ago); not posted again.",
    });
    expect(await b.ranFor("team", "north", AT)).toBe(true);
    expect(arrived).toHaveLength(1);
  });

  test("on another machine (no way to ask), a heartbeat older than a minute means it stopped", async () => {
    const { runner, state, wall, running } = await setup();
    state.behave = async (i) => (i === 1 ? never() : `ts-${i}`);
    void runner("a").run(run);
    await untilSending(1);
    running.set("a", null);
    wall.advance(30_000);
    expect(await runner("b").ranFor("team", "north", AT)).toBe(true);
    wall.advance(31_000);
    state.behave = null;
    expect(await runner("b").ranFor("team", "north", AT)).toBe(false);
    expect((await runner("b").run(run)).outcomes[0]).toMatchObject({ status: "posted" });
  });

  test("two processes resuming at once: one takes the run, the other leaves it", async () => {
    const { runner, arrived, state, running } = await setup();
    state.behave = async (i) => (i === 1 ? never() : `ts-${i}`);
    void runner("a").run(run);
    await untilSending(1);
    running.set("a", false);
    state.behave = null;
    const [b, c] = await Promise.all([runner("b").run(run), runner("c").run(run)]);
    expect([b.outcomes[0]!.status, c.outcomes[0]!.status].sort()).toEqual(["already", "posted"]);
    expect(arrived.filter((a) => a.index === 1)).toHaveLength(1);
  });
});

describe("a send with no answer (a timeout)", () => {
  const timeout = () => new PostError("Slack did not answer the post (timed out).", true, true);

  test("is sent once more, saying it may repeat; a second silence is not followed by a third copy", async () => {
    const { runner, arrived, state } = await setup();
    let tries = 0;
    state.behave = async (i) => {
      if (i === 2) {
        tries++;
        throw timeout();
      }
      return `ts-${i}`;
    };
    const r = await runner("a").run(run);
    // Both sends of part 3 may have arrived: it is not sent a third time, and the rest goes on.
    expect(tries).toBe(2);
    expect(r.outcomes[0]).toMatchObject({
      status: "posted",
      detail: expect.stringContaining("(Slack did not confirm part 3, sent twice)"),
    });
    const parts = t.ctx.repo.digests.parts(ledger()[0]!.id).filter((p) => p.part === 2);
    expect(parts.map((p) => [p.status, p.repeat])).toEqual([
      ["unknown", false],
      ["unknown", true],
    ]);
    expect(arrived.some((a) => a.index === 2)).toBe(false);
    expect(arrived.at(-1)!.index).toBe(ledger()[0]!.partsTotal! - 1);
  });

  test("a timed-out part that then goes through: the second copy says it may repeat the first", async () => {
    const { runner, arrived, state } = await setup();
    let first = true;
    state.behave = async (i) => {
      if (i === 1 && first) {
        first = false;
        throw timeout();
      }
      return `ts-${i}`;
    };
    await runner("a").run(run);
    expect(arrived.filter((a) => a.index === 1)).toHaveLength(1);
    expect(arrived.find((a) => a.index === 1)!.text).toContain(
      "This message may repeat one sent at 07/03/16 08:00 that Slack did not confirm.",
    );
  });

  test("the first message unconfirmed twice: the run stops for good (nothing can thread under it), and says so", async () => {
    const { runner, arrived, state, running } = await setup();
    state.behave = async () => {
      throw timeout();
    };
    const r = await runner("a").run(run);
    expect(r.outcomes[0]).toMatchObject({
      status: "failed",
      detail: expect.stringContaining(
        "The first message went out twice to C-NORTH and neither was confirmed",
      ),
    });
    expect(ledger()[0]).toMatchObject({ status: "unconfirmed" });
    running.set("a", false);
    state.behave = null;
    // Not tried a third time by a catch-up or a run; --force posts it anew.
    const b = runner("b");
    expect(await b.ranFor("team", "north", AT)).toBe(true);
    expect((await b.run(run)).outcomes[0]).toMatchObject({ status: "already" });
    expect(arrived).toEqual([]);
    expect((await b.run({ ...run, force: true })).outcomes[0]).toMatchObject({ status: "posted" });
  });
});

describe("the app stopping (SIGTERM) while it posts", () => {
  const teamSpec = { kind: "team", scope: "north", cron: "0 8 * * 1" } as const;
  /** A send held until `answer()`: Slack has the message, its answer is on the way. */
  function held() {
    let answer: (ref: string) => void = () => {};
    const reply = new Promise<string>((r) => {
      answer = r;
    });
    return { reply, answer: (ref: string) => answer(ref) };
  }
  /** Whether a promise has settled yet, without waiting for it. */
  async function settled(p: Promise<unknown>): Promise<boolean> {
    let done = false;
    void p.then(() => {
      done = true;
    });
    await new Promise<void>((r) => setImmediate(r));
    return done;
  }

  test("the stop waits for the part being sent, sends nothing after it and lets the run go: the rest goes once", async () => {
    const { runner, arrived, state } = await setup();
    const third = held();
    state.behave = async (i) => (i === 2 ? third.reply : `ts-${i}`);
    const lines: string[] = [];
    const a = createScheduler(t.ctx, runner("a"), { timers: false, log: (l) => lines.push(l) });
    const fired = a.fire(teamSpec);
    await untilSending(2);
    const stopped = a.stop();
    expect(await settled(stopped)).toBe(false);
    expect(lines).toEqual([
      "digest: stopping: waiting for 1 part being posted to be answered (at most 12 s)",
    ]);
    third.answer("ts-2");
    await stopped;
    expect((await fired).outcomes[0]).toMatchObject({
      status: "stopped",
      detail: expect.stringMatching(/^the app stopped after 3 of \d+ parts; the next start posts the rest/),
    });
    expect(arrived.map((x) => x.index)).toEqual([0, 1, 2]);
    // Its answer is recorded; the run is let go, so it is read as stopped at once, even by another
    // instance while this process still runs (a lease goes stale only after a minute).
    const [row] = ledger();
    expect(row).toMatchObject({ status: "posting", owner: "a", heartbeatAt: LET_GO });
    expect(t.ctx.repo.digests.parts(row!.id).map((x) => x.status)).toEqual(["sent", "sent", "sent"]);
    state.behave = null;
    const b = runner("b");
    expect(await b.ranFor("team", "north", AT)).toBe(false);
    expect((await b.run(run)).outcomes[0]).toMatchObject({ status: "posted" });
    const total = ledger()[0]!.partsTotal!;
    expect(arrived.map((x) => x.index)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(arrived.some((x) => x.text.includes("may repeat"))).toBe(false);
    expect(arrived.slice(1).every((x) => x.thread === "ts-0")).toBe(true);
  });

  test("a stop claims nothing new: what had not begun is left due for the next start", async () => {
    const { runner, arrived } = await setup();
    const a = createScheduler(t.ctx, runner("a"), { timers: false });
    await a.stop();
    expect((await a.fire(teamSpec)).outcomes[0]).toMatchObject({ status: "stopped" });
    expect(await a.catchUp()).toEqual([]);
    expect(arrived).toEqual([]);
    expect(ledger()).toEqual([]);
  });

  test("a part whose answer never comes: the stop gives up after its wait; the next start sends it once more, marked", async () => {
    const { runner, arrived, state, running } = await setup();
    state.behave = async (i) => (i === 1 ? never() : `ts-${i}`);
    const lines: string[] = [];
    const a = createScheduler(t.ctx, runner("a"), {
      timers: false,
      log: (l) => lines.push(l),
      stopWaitMs: 0,
    });
    void a.fire(teamSpec);
    await untilSending(1);
    await a.stop();
    expect(lines.at(-1)).toBe(
      "digest: stopping: what was still being posted after 0 s is left to the next start (a part with no answer goes again, marked as a possible repeat)",
    );
    running.set("a", false);
    state.behave = null;
    await runner("b").run(run);
    expect(arrived.filter((x) => x.index === 1)).toHaveLength(1);
    expect(arrived.find((x) => x.index === 1)!.text).toContain("may repeat");
  });

  test("a stop during the wait before a retry ends the wait; the refused part goes at the next start, unmarked", async () => {
    const { runner, arrived, state } = await setup();
    state.behave = async (i) => {
      if (i === 1) throw new PostError("Slack could not take the post (internal_error).", true);
      return `ts-${i}`;
    };
    let waiting = false;
    const a = createScheduler(
      t.ctx,
      runner("a", {
        sleep: () => {
          waiting = true;
          return never().then(() => {});
        },
      }),
      { timers: false },
    );
    const fired = a.fire(teamSpec);
    while (!waiting) await new Promise<void>((r) => setImmediate(r));
    await a.stop();
    expect((await fired).outcomes[0]).toMatchObject({ status: "stopped" });
    state.behave = null;
    await runner("b").run(run);
    expect(arrived.filter((x) => x.index === 1)).toHaveLength(1);
    expect(arrived.some((x) => x.text.includes("may repeat"))).toBe(false);
  });

  test("a team's nudges stopped part-way: the round resumes, each message once", async () => {
    t = makeTestCtx({ clock: manualClock("2016-03-07T09:00:00Z") });
    const p = platform();
    const l = leases();
    const at = new Date("2016-03-07T09:00:00Z");
    const second = held();
    p.state.behave = async (i) => (i === 1 ? second.reply : `dm-${i}`);
    const mk = (owner: string) =>
      createRunner({ ctx: t.ctx, posters: [p.poster], sleep: async () => {}, lease: l.lease(owner) });
    const a = createScheduler(t.ctx, mk("a"), { timers: false });
    const fired = a.fire({ kind: "nudge", scope: "north", cron: "0 9 * * 1-5" });
    await untilSending(1);
    const stopped = a.stop();
    second.answer("dm-1");
    await stopped;
    expect((await fired).outcomes.map((o) => o.status)).toEqual(["stopped"]);
    expect(p.arrived.map((x) => x.index)).toEqual([0, 1]);
    p.state.behave = null;
    const b = mk("b");
    expect(await b.ranFor("nudge", "north", at)).toBe(false);
    const resumed = await b.run({ kind: "nudge", scope: "north", at });
    expect(resumed.outcomes.filter((o) => o.status === "posted").map((o) => o.to)).toEqual(["Jane Smith"]);
    expect(p.arrived.map((x) => x.index)).toEqual([0, 1, 2]);
    expect(p.arrived.some((x) => x.text.includes("may repeat"))).toBe(false);
    expect(await b.ranFor("nudge", "north", at)).toBe(true);
  });
});

describe("nudges", () => {
  test("a person's nudge stopped part-way is finished once, with what it said", async () => {
    t = makeTestCtx({ clock: manualClock("2016-03-07T09:00:00Z") });
    const p = platform();
    const l = leases();
    const at = new Date("2016-03-07T09:00:00Z");
    p.state.behave = async (i) => (i === 1 ? never() : `dm-${i}`);
    const mk = (owner: string) =>
      createRunner({ ctx: t.ctx, posters: [p.poster], sleep: async () => {}, lease: l.lease(owner) });
    void mk("a").run({ kind: "nudge", scope: "north", at });
    await untilSending(1);
    l.running.set("a", false);
    p.state.behave = null;
    const b = await mk("b").run({ kind: "nudge", scope: "north", at });
    expect(b.outcomes.filter((o) => o.status === "posted").map((o) => o.to)).toEqual(["Jane Smith"]);
    expect(p.arrived.map((a) => a.index)).toEqual([0, 1, 2]);
    expect(p.arrived[1]!.text).toContain("may repeat");
    // The week's cap counts it: no second nudge about the same cases.
    l.running.set("b", false);
    expect(
      (await mk("c").run({ kind: "nudge", scope: "north", at: new Date("2016-03-08T09:00:00Z") })).outcomes,
    ).toEqual([
      { platform: "-", to: "North Team", status: "skipped", detail: "nobody has a newly stuck case" },
    ]);
  });
});

test("what a run that never finished said is forgotten once its week is over", async () => {
  const { runner, state, clock } = await setup();
  state.behave = async () => {
    throw new PostError("Slack refused the post (channel_not_found).", false);
  };
  await runner("a").run(run);
  // Part of it is kept, to resume with, while its week lasts.
  expect(ledger()[0]).toMatchObject({ status: "failed" });
  expect(ledger()[0]!.view).not.toBeNull();
  clock.set("2016-03-16T09:00:00Z");
  state.behave = null;
  await runner("a").run({ kind: "agency", scope: "agency", at: new Date("2016-03-16T09:00:00Z") });
  expect(ledger()[0]!.view).toBeNull();
});
