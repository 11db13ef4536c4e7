import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { plainText } from "../../adapters/teams/messages.ts";
import { DEMO_CONFIG } from "../../src/app/paths.ts";
import { actionsOf, cardProblems, cardText } from "../helpers/cards.ts";
import { AH_HIN, SAM } from "../helpers/ctx.ts";
import {
  CHANNEL_ID,
  cardOf,
  channelMessage,
  JANE_TEAMS,
  personalMessage,
  sends,
  startTeamsApp,
  type TeamsApp,
} from "./harness.ts";
import { type Microsoft, startMicrosoft } from "./microsoft.ts";
import { type Recorder, startTeamsRecorder } from "./recorder.ts";

let rec: Recorder;
let app: TeamsApp | undefined;
/** Emails are looked up only with credentials (a token vouching for the connector): these use them. */
let ms: Microsoft;
beforeAll(async () => {
  rec = await startTeamsRecorder();
  ms = await startMicrosoft();
});
afterAll(async () => {
  await rec.close();
  await ms.close();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Sam is known to Teams by his Entra object id in this config; everyone else by email. */
const SAM_AAD = "00000000-0000-0000-0000-0000000000a5";
const CONFIG = readFileSync(DEMO_CONFIG, "utf8").replace(
  "    slackId: U0DEMOSAM\n",
  `    slackId: U0DEMOSAM\n    teamsId: ${SAM_AAD}\n`,
);
const SAM_TEAMS = { id: "29:sam", name: "Sam Okafor", aadObjectId: SAM_AAD };
const ROBIN_TEAMS = {
  id: "29:robin",
  name: "Robin Ellis",
  aadObjectId: "00000000-0000-0000-0000-0000000000a6",
};
const MORGAN_TEAMS = {
  id: "29:morgan",
  name: "Morgan Reyes",
  aadObjectId: "00000000-0000-0000-0000-0000000000a7",
};

async function say(text: string, from = JANE_TEAMS, on = app!) {
  const r = await on.post(personalMessage(rec, text, { from }));
  expect(r.status).toBe(200);
  const out = sends(r.calls);
  expect(out).toHaveLength(1);
  return { card: cardOf(out[0]), call: out[0]!, calls: r.calls };
}

describe("commands as messages, answered with cards", () => {
  // One app for the whole table: its commands build on each other like a conversation.
  let convo: TeamsApp;
  beforeAll(async () => {
    convo = await startTeamsApp({ config: CONFIG, rec, microsoft: ms });
    rec.members.set("29:robin", {
      id: "29:robin",
      name: "Robin Ellis",
      email: "Robin.Ellis@demo-agency.example",
    });
    rec.members.set("29:morgan", {
      id: "29:morgan",
      name: "Morgan Reyes",
      userPrincipalName: "morgan.reyes@demo-agency.example",
    });
  });

  // Every command of the core's grammar, typed in a personal chat: the card says what the core said.
  test.each<[string, typeof JANE_TEAMS, string, string]>([
    ["help", JANE_TEAMS, "sos help", "What you can type as a worker"],
    ["help on a command", JANE_TEAMS, "sos help log", "Record an element"],
    ["whoami", JANE_TEAMS, "sos whoami", "You are Jane Smith (jane.smith@demo-agency.example), a worker"],
    [
      "log",
      JANE_TEAMS,
      "sos mapped-with-family 12345",
      "Recorded Mapping with Family on 01/03/16 (today) for case 12345 (Melli Majid 13).",
    ],
    [
      "log, no prefix, date and note",
      JANE_TEAMS,
      "three-houses 22345 29/02/16 -- drawn with both children",
      "Recorded Three Houses on 29/02/16 for case 22345",
    ],
    ["log a rating", JANE_TEAMS, "/sos scale 12346 7", "Recorded Safety Scale 7"],
    ["undo", JANE_TEAMS, "sos undo", "Undone: Safety Scale 7"],
    ["mine", JANE_TEAMS, "sos mine", "Jane Smith: 6 open cases."],
    ["case", JANE_TEAMS, "sos case 12345", "Case 12345: Melli Majid 13"],
    ["stuck", JANE_TEAMS, "sos stuck", "Your stuck cases"],
    [
      "a typo",
      JANE_TEAMS,
      "sos mapped-wth-family 12345",
      'I don\'t know "mapped-wth-family". Did you mean **mapped-with-family**',
    ],
    ["team (supervisor, by Entra object id)", SAM_TEAMS, "sos team", "North Team: 6 open cases."],
    ["open", SAM_TEAMS, `sos open 90001 "Ana Lee" 4 cp ${AH_HIN}`, "Opened case 90001"],
    [
      "assign",
      SAM_TEAMS,
      "sos assign 90001 jane.smith@demo-agency.example",
      "Case 90001 is now allocated to Jane Smith",
    ],
    ["close", SAM_TEAMS, "sos close 90001 safe-at-home", "Closed case 90001"],
    ["reopen", SAM_TEAMS, "sos reopen 90001", "Reopened case 90001"],
    ["agency (manager, by userPrincipalName)", MORGAN_TEAMS, "sos agency", "Demo Family Services"],
    ["admin by email", ROBIN_TEAMS, "sos whoami", "You are Robin Ellis"],
  ])("%s", async (_name, from, text, expected) => {
    const { card } = await say(text, from, convo);
    expect(cardText(card)).toContain(expected);
    expect(cardProblems(card)).toEqual([]);
  });

  afterAll(() => convo.close());
});

describe("where and to whom", () => {
  test("a reply goes to the conversation and message it answers, as an Adaptive Card with a text fallback", async () => {
    app = await startTeamsApp({ rec });
    const msg = personalMessage(rec, "sos mine");
    const { call } = await say(msg.text as string);
    expect(call.method).toBe("POST");
    expect(call.path).toMatch(/^\/v3\/conversations\/a:personal-jane\/activities\/m\d+$/);
    expect(call.body.attachments?.[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(cardOf(call).fallbackText).toContain("Jane Smith: 6 open cases.");
    expect(call.body.summary).toBe("Jane Smith: 6 open cases.");
  });

  test("in a channel the bot is @mentioned; the mention is taken out and children show as initials", async () => {
    app = await startTeamsApp({ config: CONFIG, rec });
    const r = await app!.post(channelMessage(rec, "sos team", { from: SAM_TEAMS }));
    const [call] = sends(r.calls);
    expect(call?.path).toMatch(
      new RegExp(`^/v3/conversations/${CHANNEL_ID};messageid=1456000000000/activities/`),
    );
    const text = cardText(cardOf(call));
    expect(text).toContain("M.M. 13");
    expect(text).not.toContain("Melli");
  });

  test("a person @mentioned in a command is read as that person", async () => {
    app = await startTeamsApp({ config: CONFIG, rec });
    const r = await app!.post(
      personalMessage(rec, "sos assign 12346 <at>Sam Okafor</at>", {
        from: SAM_TEAMS,
        entities: [{ type: "mention", text: "<at>Sam Okafor</at>", mentioned: SAM_TEAMS }],
      }),
    );
    expect(cardText(cardOf(sends(r.calls)[0]))).toContain("12346");
    expect((await app.t.run(SAM, "case 12346")).text).toContain("Worker:      Sam Okafor");
  });

  test("someone not on the staff list is refused politely and told whom to ask", async () => {
    app = await startTeamsApp({ rec, microsoft: ms });
    rec.members.set("29:alex", { id: "29:alex", name: "Alex Wilber", email: "alexw@example.com" });
    const { card, calls } = await say("sos mine", { id: "29:alex", name: "Alex Wilber", aadObjectId: "x-1" });
    expect(calls[0]).toMatchObject({
      method: "GET",
      path: "/v3/conversations/a:personal-jane/members/29:alex",
    });
    expect(cardText(card)).toBe(
      "Sorry, I can't find you (Alex Wilber, alexw@example.com) on the staff list of Demo Family Services, so I can't show or record anything for you. Ask Robin Ellis (the admin) to add you with your work email.",
    );
    expect(card.body[0]).toMatchObject({ color: "Attention" });
  });

  test("in a channel the member lookup asks about the channel, not the thread", async () => {
    app = await startTeamsApp({ rec, microsoft: ms });
    const r = await app.post(
      channelMessage(rec, "sos whoami", { from: { id: "29:nobody", name: "No Body" } }),
    );
    expect(r.calls[0]).toMatchObject({
      method: "GET",
      path: `/v3/conversations/${CHANNEL_ID}/members/29:nobody`,
    });
  });

  test("a little HTML from a Teams client is read as the plain text it shows", async () => {
    app = await startTeamsApp({ rec });
    const { card } = await say("<p>sos&nbsp;case&nbsp;12345</p>");
    expect(cardText(card)).toContain("Case 12345: Melli Majid 13");
    expect(plainText("sos open 1 &quot;A &amp; B&quot;<br/>x")).toBe('sos open 1 "A & B" x');
  });

  test("a person's email is looked up once, not on every message", async () => {
    app = await startTeamsApp({ rec, microsoft: ms });
    rec.members.set("29:ahhin", { id: "29:ahhin", name: "Ah Hin Xeng", email: AH_HIN });
    const from = { id: "29:ahhin", name: "Ah Hin Xeng", aadObjectId: "aad-ahhin" };
    const first = await say("sos whoami", from);
    const second = await say("sos whoami", from);
    expect(first.calls.filter((c) => c.method === "GET")).toHaveLength(1);
    expect(second.calls.filter((c) => c.method === "GET")).toHaveLength(0);
    expect(cardText(second.card)).toContain("You are Ah Hin Xeng");
  });

  test("help and mine offer the logging form to someone who records practice", async () => {
    app = await startTeamsApp({ rec });
    const { card } = await say("sos help");
    expect(actionsOf(card).map((a) => a.title)).toEqual(["Log practice"]);
    const log = await say("sos log");
    expect(cardText(log.card)).toContain("Which case?");
    const onCase = await say("sos log 12345");
    expect(cardText(onCase.card)).toContain("Log practice on case 12345");
  });
});

describe("once and only once", () => {
  test("a message Teams delivers twice (same id) is recorded once; the second reply says so", async () => {
    app = await startTeamsApp({ rec });
    const msg = personalMessage(rec, "sos three-houses 32345");
    const first = await app.post(msg);
    const again = await app.post(msg);
    expect(cardText(cardOf(sends(first.calls)[0]))).toContain("Recorded My Three Houses");
    expect(cardText(cardOf(sends(again.calls)[0]))).toContain("nothing new was recorded");
    const history = (await app.t.run("jane.smith@demo-agency.example", "case 32345")).caseView!.history;
    expect(history.filter((h) => h.text.includes("via teams"))).toHaveLength(1);
  });
});

describe("logs", () => {
  test("what the bot logs names no child and quotes no note or message", async () => {
    app = await startTeamsApp({ rec });
    rec.failSends = true;
    try {
      const r = await app!.post(
        personalMessage(rec, "sos mapped-with-family 12345 -- Melli was at her gran's"),
      );
      expect(r.status).toBe(200);
    } finally {
      rec.failSends = false;
    }
    expect(app.logs.length).toBeGreaterThan(0);
    for (const line of app.logs) {
      expect(line).toMatch(/^teams: /);
      expect(line).not.toMatch(/Melli|gran|mapped|12345/);
    }
  });
});
