import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { AdaptiveCard } from "../../adapters/teams/render/adaptive-card-kit.ts";
import { actionsOf, cardProblems, cardText } from "../helpers/cards.ts";
import { JANE, SAM } from "../helpers/ctx.ts";
import {
  cardOf,
  channelMessage,
  execute,
  invokeCard,
  personalMessage,
  sends,
  startTeamsApp,
  submit,
  type TeamsApp,
} from "./harness.ts";
import { type Microsoft, startMicrosoft } from "./microsoft.ts";
import { type Recorder, startTeamsRecorder } from "./recorder.ts";

let rec: Recorder;
let app: TeamsApp;
/** With credentials, as in a real tenant: tokens checked, people's emails looked up. */
let ms: Microsoft;
beforeAll(async () => {
  rec = await startTeamsRecorder();
  ms = await startMicrosoft();
});
afterAll(async () => {
  await rec.close();
  await ms.close();
});
beforeEach(async () => {
  app = await startTeamsApp({ rec, microsoft: ms });
});
afterEach(() => app.close());

/** Live (not undone) entries recorded from Teams on a case. */
async function teamsEntries(caseId: string) {
  return (await app.t.run(JANE, `case ${caseId}`)).caseView!.history.filter(
    (h) => h.text.includes("via teams") && !h.retracted,
  );
}

async function logged(text: string): Promise<AdaptiveCard> {
  const r = await app.post(personalMessage(rec, text));
  return cardOf(sends(r.calls)[0]);
}

async function invoke(verb: string, data: Record<string, unknown>, fields: Record<string, unknown> = {}) {
  const r = await app.post(execute(rec, verb, data, fields));
  expect(r.status).toBe(200);
  return { card: invokeCard(r.body), calls: r.calls };
}

describe("Undo", () => {
  test("Action.Execute undoes the entry and answers with the card that replaces the confirmation", async () => {
    const card = await logged("sos mapped-with-family 12345");
    const undo = actionsOf(card).find((a) => a.verb === "undo")!;
    expect(await teamsEntries("12345")).toHaveLength(1);
    const { card: after, calls } = await invoke("undo", undo.data);
    expect(calls).toEqual([]); // answered in the HTTP response: personal chat, no other call
    expect(cardText(after)).toContain("Undone: Mapping with Family on 01/03/16 for case 12345.");
    expect(after.body[0]).toMatchObject({ color: "Good" });
    expect(after.actions).toBeUndefined();
    expect(cardProblems(after)).toEqual([]);
    expect(await teamsEntries("12345")).toHaveLength(0);
  });

  test("a double click sends the same action twice: one undo, the second answer says nothing changed", async () => {
    const undo = actionsOf(await logged("sos three-houses 12346")).find((a) => a.verb === "undo")!;
    const first = await invoke("undo", undo.data);
    const second = await invoke("undo", undo.data);
    expect(cardText(first.card)).toContain("Undone: Three Houses");
    expect(cardText(second.card)).toContain("Undone: Three Houses");
    expect(cardText(second.card)).toContain("nothing new was recorded");
    const history = (await app.t.run(JANE, "case 12346")).caseView!.history;
    expect(history.filter((h) => h.text.includes("Undone by"))).toHaveLength(1);
  });

  test("the Action.Submit fallback does the same, and puts the result in place of the card", async () => {
    const undo = actionsOf(await logged("sos danger-statement 22346")).find((a) => a.verb === "undo")!;
    const r = await app.post(submit(rec, undo.fallback.data, { replyToId: "card-7" }));
    const [put] = sends(r.calls);
    expect(put).toMatchObject({ method: "PUT", path: "/v3/conversations/a:personal-jane/activities/card-7" });
    expect(cardText(cardOf(put))).toContain("Undone: Critical Worry");
    const again = await app.post(submit(rec, undo.fallback.data, { replyToId: "card-7" }));
    expect(cardText(cardOf(sends(again.calls)[0]))).toContain("nothing new was recorded");
    expect(await teamsEntries("22346")).toHaveLength(0);
  });

  test("a new confirmation's Undo is another action: it does not repeat an earlier one", async () => {
    const a = actionsOf(await logged("sos words-and-pictures 12346 29/02/16")).find(
      (x) => x.verb === "undo",
    )!;
    const b = actionsOf(await logged("sos words-and-pictures 12346")).find((x) => x.verb === "undo")!;
    expect(a.data.nonce).not.toBe(b.data.nonce);
    await invoke("undo", a.data);
    const second = await invoke("undo", b.data);
    expect(cardText(second.card)).not.toContain("nothing new");
    expect(await teamsEntries("12346")).toHaveLength(0);
  });

  test("in a channel the card is replaced for everyone, not just the person who pressed Undo", async () => {
    const r = await app.post(channelMessage(rec, "sos safety-goal 22345"));
    const undo = actionsOf(cardOf(sends(r.calls)[0])).find((a) => a.verb === "undo")!;
    const channel = channelMessage(rec, "");
    const { card, calls } = await invoke("undo", undo.data, {
      conversation: channel.conversation,
      channelData: channel.channelData,
      replyToId: "card-9",
    });
    expect(cardText(card)).toContain("Undone: Success Goal");
    expect(sends(calls)).toHaveLength(1);
    expect(sends(calls)[0]).toMatchObject({ method: "PUT" });
    expect(sends(calls)[0]!.path).toMatch(/\/activities\/card-9$/);
  });
});

describe("the logging form", () => {
  test("Log another → pick a case → the case's elements → Record: one entry, with Undo", async () => {
    const confirm = await logged("sos mapped-internal 32346");
    const another = actionsOf(confirm).find((a) => a.verb === "form")!;
    const pick = (await invoke("form", another.data)).card;
    expect(cardText(pick)).toContain("Which case?");
    const next = actionsOf(pick)[0]!;
    const form = (await invoke(next.verb, { ...next.data, caseId: "32346" })).card;
    expect(cardText(form)).toContain("Log practice on case 32346");
    expect(cardProblems(form)).toEqual([]);
    const record = actionsOf(form).find((a) => a.verb === "log")!;
    const inputs = { element: "safety-scale", date: "2016-02-28", value: "6", note: "scaled with mum" };
    const done = (await invoke("log", { ...record.data, ...inputs })).card;
    expect(cardText(done)).toContain("Recorded Wellbeing Scale 6 on 28/02/16 for case 32346 (Mary Telis 5).");
    expect(cardText(done)).toContain('Note saved: "scaled with mum"');
    expect(actionsOf(done).map((a) => a.verb)).toEqual(["undo", "form"]);
    expect((await teamsEntries("32346")).map((h) => h.on)).toEqual(["28/02/16", "01/03/16"]);
  });

  test("a double-clicked Record stores one entry", async () => {
    const form = (await invoke("form-case", { caseId: "12345", nonce: "f-1" })).card;
    const record = actionsOf(form).find((a) => a.verb === "log")!;
    const data = { ...record.data, element: "network", date: "2016-03-01", value: "5", note: "" };
    const [a, b] = await Promise.all([invoke("log", data), invoke("log", data)]);
    const texts = [cardText(a.card), cardText(b.card)];
    expect(texts.every((t) => t.includes("Recorded Network Number 5"))).toBe(true);
    expect(texts.filter((t) => t.includes("nothing new was recorded"))).toHaveLength(1);
    expect(await teamsEntries("12345")).toHaveLength(1);
  });

  test("the same form sent again with a changed value is a new entry, not a repeat", async () => {
    const data = { caseId: "12345", nonce: "f-2", element: "safety-scale", date: "2016-03-01", note: "" };
    await invoke("log", { ...data, value: "4" });
    const second = await invoke("log", { ...data, value: "5" });
    expect(cardText(second.card)).toContain("Recorded Safety Scale 5");
    expect(await teamsEntries("12345")).toHaveLength(2);
  });

  test.each([
    [
      "a rating over 10",
      "value",
      { element: "safety-scale", value: "11" },
      "must be a whole number from 0 to 10",
    ],
    ["a rating left out", "value", { element: "safety-scale", value: "" }, "needs a number from 0 to 10"],
    [
      "a number on a date element",
      "value",
      { element: "three-houses", value: "3" },
      "is recorded with a date",
    ],
    ["a day in the future", "date", { element: "three-houses", date: "2016-03-02" }, "is in the future"],
    [
      "a day before the case opened",
      "date",
      { element: "three-houses", date: "2016-01-01" },
      "before case 12345 was opened",
    ],
    ["no such day", "date", { element: "three-houses", date: "2016-02-30" }, "is not a real date"],
    ["no element chosen", "element", { element: "" }, "Choose what was done."],
    [
      "already recorded",
      "element",
      { element: "danger-statement", date: "2016-02-03" },
      "is already recorded",
    ],
  ] as const)(
    "%s: the form comes back, the reason under the %s field, what was typed kept",
    async (name, field, inputs, says) => {
      if (name === "already recorded")
        await invoke("log", { caseId: "12345", nonce: "x", element: "danger-statement", date: "2016-02-03" });
      const before = (await teamsEntries("12345")).length;
      const data = {
        caseId: "12345",
        nonce: "f-3",
        date: "2016-03-01",
        value: "",
        note: "a note",
        ...inputs,
      };
      const { card } = await invoke("log", data);
      const at = card.body.findIndex((b) => "id" in b && b.id === field);
      expect(at).toBeGreaterThan(-1);
      expect(card.body[at + 1]).toMatchObject({ type: "TextBlock", color: "Attention" });
      expect((card.body[at + 1] as { text: string }).text).toContain(says);
      expect(card.body.find((b) => "id" in b && b.id === "note")).toMatchObject({ value: "a note" });
      expect(actionsOf(card).find((a) => a.verb === "log")?.data.nonce).toBe("f-3");
      expect(await teamsEntries("12345")).toHaveLength(before);
    },
  );

  test("a case the person may not record on sends them back to choosing, with the reason", async () => {
    const { card } = await invoke("form-case", { caseId: "99999", nonce: "f-4" });
    expect(cardText(card)).toContain("Which case?");
    expect(cardText(card)).toContain("I can't find case 99999.");
  });
});

describe("dashboard pages", () => {
  test("a large team dashboard comes a page at a time, with Next and Previous", async () => {
    for (let i = 0; i < 30; i++) {
      expect((await app.t.run(SAM, `open 7${String(i).padStart(4, "0")} "Child ${i}" 6 cp ${JANE}`)).ok).toBe(
        true,
      );
    }
    rec.members.set("29:sam", { id: "29:sam", email: SAM });
    const sam = { id: "29:sam", name: "Sam Okafor", aadObjectId: "aad-sam" };
    const r = await app.post(personalMessage(rec, "sos team statutory-cp", { from: sam }));
    let card = cardOf(sends(r.calls)[0]);
    const pages = Number(/Page 1 of (\d+)\./.exec(cardText(card))?.[1]);
    expect(pages).toBeGreaterThan(1);
    const shown: string[] = [];
    for (let page = 1; ; page++) {
      expect(cardText(card)).toContain(`Page ${page} of ${pages}.`);
      expect(cardProblems(card)).toEqual([]);
      // each case a block of its own, headed by its id in bold
      shown.push(
        ...[...cardText(card).matchAll(/^(?:⚠ )?\*\*(7\d{4})\*\* · Child \d+ 6$/gm)].map((m) => m[1]!),
      );
      const next = actionsOf(card).find((a) => a.title === "Next page");
      if (page === pages) {
        expect(next).toBeUndefined();
        break;
      }
      expect(next?.data).toEqual({ command: "sos team statutory-cp", page: page + 1 });
      card = (await invoke(next!.verb, next!.data, { from: sam })).card;
      expect(cardText(card)).toContain("Jane Smith's Cases (continued)");
      expect(actionsOf(card)[0]?.title).toBe("Previous page");
    }
    expect(shown.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `7${String(i).padStart(4, "0")}`));
  });

  test("a page button never runs a command that changes the record", async () => {
    const { card } = await invoke("page", { command: "sos mapped-with-family 12345", page: 2 });
    expect(cardText(card)).toContain("can't be used any more");
    expect(await teamsEntries("12345")).toHaveLength(0);
  });

  test("a button this version does not know gets a clear answer", async () => {
    const { card } = await invoke("explode", { nonce: "z" });
    expect(cardText(card)).toContain("That button is from an older version of this app.");
  });
});
