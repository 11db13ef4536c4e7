import { Activity } from "@microsoft/agents-activity";
import { afterEach, beforeEach, expect, test } from "vitest";
import { type Installations, type Place, placeOf } from "../../adapters/teams/conversations.ts";
import { pgInstallations } from "../../adapters/teams/installations-pg.ts";
import { sqliteInstallations } from "../../adapters/teams/installations-sqlite.ts";
import { JANE } from "../helpers/ctx.ts";
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
