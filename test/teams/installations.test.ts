import { Activity } from "@microsoft/agents-activity";
import { afterEach, beforeEach, expect, test } from "vitest";
import { type Installations, type Place, placeOf } from "../../adapters/teams/conversations.ts";
import { rememberingInstallations } from "../../adapters/teams/installations-cache.ts";
import { pgInstallations } from "../../adapters/teams/installations-pg.ts";
import { sqliteInstallations } from "../../adapters/teams/installations-sqlite.ts";
import { AH_HIN, JANE, manualClock } from "../helpers/ctx.ts";
import { describeEachStore, makeStoreCtx, type StoreTestCtx } from "../helpers/stores.ts";

/**
 * Where the Teams app is installed, on both stores: the same upsert (written only when something
 * changed, the staff member kept), removal and the reads the proactive posts use.
 */

const SERVICE = "https://smba.trafficmanager.net/emea/";

function place(fields: Record<string, unknown>): Place {
  const found = placeOf(
    Activity.fromObject({
      type: "message",
      id: "m1",
      channelId: "msteams",
      serviceUrl: SERVICE,
      from: { id: "user-id-0", name: "Jane Smith" },
      recipient: { id: "28:bot", name: "sos" },
      conversation: { id: "a:personal-jane", conversationType: "personal", tenantId: "tenant-1" },
      ...fields,
    }),
  );
  if (!found) throw new Error("no place in that activity");
  return found;
}

const PERSONAL = place({});
const channel = (serviceUrl = SERVICE, id = "19:north@thread.tacv2") =>
  place({
    serviceUrl,
    conversation: {
      id: `${id};messageid=1`,
      conversationType: "channel",
      isGroup: true,
      tenantId: "tenant-1",
    },
    channelData: { team: { id: "19:team-north@thread.tacv2" }, channel: { id } },
  });

describeEachStore("Teams conversation references", (kind) => {
  let t: StoreTestCtx;
  let installs: Installations;
  let jane: number;
  beforeEach(async () => {
    t = await makeStoreCtx(kind, { demo: false });
    installs = t.pgStore ? pgInstallations(t.pgStore) : sqliteInstallations(t.ctx.store);
    jane = t.as(JANE).staffId;
  });
  afterEach(() => t.close());

  const updatedAt = async (id: string) =>
    (await t.rows("SELECT updated_at FROM teams_conversations WHERE id = $1", [id]))[0]?.updated_at;

  test("a personal chat is kept with its reference and staff member, and read back checked", async () => {
    await installs.remember(PERSONAL, jane, "2016-03-01T09:00:00.000Z");
    const row = await installs.get("a:personal-jane");
    expect(row).toMatchObject({ id: "a:personal-jane", kind: "personal", staffId: jane, removedAt: null });
    expect(row?.reference).toMatchObject({ channelId: "msteams", serviceUrl: SERVICE });
    expect(row?.reference.conversation.id).toBe("a:personal-jane");
    expect((await installs.personal(jane))?.id).toBe("a:personal-jane");
    expect(await installs.get("a:nowhere")).toBeUndefined();
  });

  test("the same place again writes nothing; a turn that knows no staff keeps the one known", async () => {
    await installs.remember(PERSONAL, jane, "2016-03-01T09:00:00.000Z");
    const before = await t.snapshot();
    await installs.remember(PERSONAL, jane, "2016-03-01T10:00:00.000Z");
    await installs.remember(PERSONAL, null, "2016-03-01T11:00:00.000Z");
    expect(await t.snapshot()).toBe(before);
    expect((await installs.get(PERSONAL.id))?.staffId).toBe(jane);
  });

  test("a changed reference is written, and the installation day stays", async () => {
    const first = channel();
    await installs.remember(first, null, "2016-03-01T09:00:00.000Z");
    const moved = channel("https://smba.trafficmanager.net/amer/");
    await installs.remember({ ...moved, teamId: null }, null, "2016-03-02T09:00:00.000Z");
    const row = await installs.get(first.id);
    expect(row?.reference.serviceUrl).toBe("https://smba.trafficmanager.net/amer/");
    // the team known before is kept when this turn names none
    expect(row?.teamId).toBe("19:team-north@thread.tacv2");
    expect(await updatedAt(first.id)).toBe("2016-03-02T09:00:00.000Z");
    const [kept] = await t.rows("SELECT installed_at FROM teams_conversations WHERE id = $1", [first.id]);
    expect(kept?.installed_at).toBe("2016-03-01T09:00:00.000Z");
  });

  test("removed: the row stays, marked once; it is no one's personal chat or any channel; added again, it is back", async () => {
    await installs.remember(PERSONAL, jane, "2016-03-01T09:00:00.000Z");
    await installs.remember(channel(), null, "2016-03-01T09:00:00.000Z");
    await installs.forget(PERSONAL.id, "2016-03-02T09:00:00.000Z");
    await installs.forget(PERSONAL.id, "2016-03-03T09:00:00.000Z");
    await installs.forget("19:north@thread.tacv2", "2016-03-02T09:00:00.000Z");
    expect((await installs.get(PERSONAL.id))?.removedAt).toBe("2016-03-02T09:00:00.000Z");
    expect(await installs.personal(jane)).toBeUndefined();
    expect(await installs.anyChannel()).toBeUndefined();
    expect(await installs.all()).toHaveLength(2);
    await installs.remember(PERSONAL, null, "2016-03-04T09:00:00.000Z");
    expect((await installs.get(PERSONAL.id))?.removedAt).toBeNull();
    expect((await installs.personal(jane))?.id).toBe(PERSONAL.id);
  });

  test("any channel is the one most recently seen; all are listed in the order they were installed", async () => {
    await installs.remember(channel(SERVICE, "19:a@thread.tacv2"), null, "2016-03-01T09:00:00.000Z");
    await installs.remember(channel(SERVICE, "19:b@thread.tacv2"), null, "2016-03-02T09:00:00.000Z");
    await installs.remember(PERSONAL, jane, "2016-03-03T09:00:00.000Z");
    expect((await installs.anyChannel())?.id).toBe("19:b@thread.tacv2");
    expect((await installs.all()).map((i) => i.id)).toEqual([
      "19:a@thread.tacv2",
      "19:b@thread.tacv2",
      PERSONAL.id,
    ]);
  });
});

describeEachStore("Teams places remembered once per process (installations-cache.ts)", (kind) => {
  let t: StoreTestCtx;
  let store: Installations;
  /** the places the store was asked to remember, in order */
  let asked: string[];
  let jane: number;
  const clock = manualClock("2016-03-01T09:00:00Z");
  const at = () => clock.now().toISOString();
  const RECHECK = 60_000;
  /** one server process: its own memory of what it wrote, over the shared database */
  const instance = (max?: number) =>
    rememberingInstallations(
      {
        ...store,
        async remember(place, staffId, when, how) {
          asked.push(place.id);
          await store.remember(place, staffId, when, how);
        },
      },
      clock,
      { recheckMs: RECHECK, ...(max !== undefined ? { max } : {}) },
    );
  beforeEach(async () => {
    t = await makeStoreCtx(kind, { demo: false });
    store = t.pgStore ? pgInstallations(t.pgStore) : sqliteInstallations(t.ctx.store);
    asked = [];
    jane = t.as(JANE).staffId;
    clock.set("2016-03-01T09:00:00Z");
  });
  afterEach(() => t.close());

  test("the same place again is not asked of the store; the person's chat is still found", async () => {
    const installs = instance();
    await installs.remember(PERSONAL, jane, at());
    await installs.remember(PERSONAL, jane, at());
    // a turn that knows no staff member: the store would keep Jane, and so does this
    await installs.remember(PERSONAL, null, at());
    expect(asked).toEqual([PERSONAL.id]);
    expect((await installs.personal(jane))?.id).toBe(PERSONAL.id);
  });

  test("a new staff id, a changed reference, a new team id are written", async () => {
    const installs = instance();
    const ahHin = t.as(AH_HIN).staffId;
    await installs.remember(PERSONAL, jane, at());
    await installs.remember(PERSONAL, ahHin, at());
    expect((await installs.personal(ahHin))?.id).toBe(PERSONAL.id);
    expect(await installs.personal(jane)).toBeUndefined();

    const first = channel();
    await installs.remember(first, null, at());
    const moved = channel("https://smba.trafficmanager.net/amer/");
    await installs.remember(moved, null, at());
    expect((await installs.get(first.id))?.reference.serviceUrl).toBe(
      "https://smba.trafficmanager.net/amer/",
    );
    await installs.remember({ ...moved, teamId: "19:team-south@thread.tacv2" }, null, at());
    expect((await installs.get(first.id))?.teamId).toBe("19:team-south@thread.tacv2");
    // and a turn naming no team keeps the one written, asking nothing
    await installs.remember({ ...moved, teamId: null }, null, at());
    expect(asked).toEqual([PERSONAL.id, PERSONAL.id, first.id, first.id, first.id]);
  });

  test("removed here, the place writing again is written: the person's chat is back", async () => {
    const installs = instance();
    await installs.remember(PERSONAL, jane, at());
    await installs.forget(PERSONAL.id, at());
    expect(await installs.personal(jane)).toBeUndefined();
    await installs.remember(PERSONAL, jane, at());
    expect((await installs.personal(jane))?.id).toBe(PERSONAL.id);
  });

  test("removed by another instance: an install is written at once, any message after the recheck time", async () => {
    const here = instance();
    const there = instance();
    await here.remember(PERSONAL, jane, at());
    await there.forget(PERSONAL.id, at());
    // This instance cannot know: a message within the recheck time is not asked of the store...
    await here.remember(PERSONAL, jane, at());
    expect(await here.personal(jane)).toBeUndefined();
    // ...but the app added again always is (the reinstall Teams sends first)
    await here.remember(PERSONAL, jane, at(), { installing: true });
    expect((await there.personal(jane))?.id).toBe(PERSONAL.id);

    await there.forget(PERSONAL.id, at());
    clock.advance(RECHECK);
    await here.remember(PERSONAL, jane, at());
    expect((await there.personal(jane))?.id).toBe(PERSONAL.id);
  });

  test("bounded: past `max` places the least recently seen is asked again", async () => {
    const installs = instance(2);
    const a = channel(SERVICE, "19:a@thread.tacv2");
    const b = channel(SERVICE, "19:b@thread.tacv2");
    await installs.remember(PERSONAL, jane, at());
    await installs.remember(a, null, at());
    await installs.remember(PERSONAL, jane, at()); // seen again: now the most recent
    await installs.remember(b, null, at()); // a falls out
    await installs.remember(PERSONAL, jane, at());
    await installs.remember(a, null, at());
    expect(asked).toEqual([PERSONAL.id, a.id, b.id, a.id]);
  });

  test("a write that fails is not remembered as written", async () => {
    let fail = true;
    const flaky = rememberingInstallations(
      {
        ...store,
        async remember(place, staffId, when) {
          asked.push(place.id);
          if (fail) throw new Error("database is locked");
          await store.remember(place, staffId, when);
        },
      },
      clock,
    );
    await expect(flaky.remember(PERSONAL, jane, at())).rejects.toThrow("locked");
    fail = false;
    await flaky.remember(PERSONAL, jane, at());
    expect(asked).toEqual([PERSONAL.id, PERSONAL.id]);
    expect((await flaky.personal(jane))?.id).toBe(PERSONAL.id);
  });
});
