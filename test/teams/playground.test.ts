import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import WebSocket from "ws";
import { messageCard } from "../../adapters/teams/render/adaptive-card.ts";
import type { AdaptiveCard } from "../../adapters/teams/render/adaptive-card-kit.ts";
import { actionsOf, cardProblems, cardText, phoneProblems } from "../helpers/cards.ts";
import { JANE } from "../helpers/ctx.ts";
import { startTeamsApp, type TeamsApp } from "./harness.ts";

/**
 * End to end through Microsoft 365 Agents Playground, headless: its mock Teams client talks to our
 * app over HTTP, and every message the bot sends shows on the playground's websocket. Local only:
 * telemetry off, and APPLICATION_INSIGHTS_NO_STATSBEAT stops its one probe of a non-local address.
 */

interface WsEvent {
  readonly action: string;
  readonly actionConversationId: string;
  readonly message: {
    readonly messageId: string;
    readonly text?: string;
    readonly postConversationId?: string;
    readonly attachments?: readonly { readonly contentType: string; readonly content: AdaptiveCard }[];
  };
}

const CONVERSATION = "c1";
let app: TeamsApp;
let playground: ChildProcess;
let exited: Promise<unknown>;
let base = "";
let ws: WebSocket;
let cwd = "";
const inbox: WsEvent[] = [];
const waiters = new Set<() => void>();
const timings: Record<string, number> = {};

beforeAll(async () => {
  app = await startTeamsApp();
  cwd = mkdtempSync(join(tmpdir(), "sos-playground-"));
  const cli = createRequire(import.meta.url).resolve("@microsoft/m365agentsplayground/cli.js");
  const t0 = performance.now();
  playground = spawn(
    process.execPath,
    [cli, "-e", `http://127.0.0.1:${app.server.port}/api/messages`, "-c", "msteams", "-p", "0"].concat([
      "--disable-telemetry",
      "--conversation-id",
      CONVERSATION,
    ]),
    {
      cwd, // it writes ./devTools/*.log where it runs
      detached: true, // its own process group, killed whole in afterAll
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH ?? "",
        HOME: cwd,
        TEAMSAPPTESTER_BROWSER: "none",
        APPLICATION_INSIGHTS_NO_STATSBEAT: "true",
      },
    },
  );
  exited = new Promise((resolve) => playground.once("exit", resolve));
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const fail = (why: string) => reject(new Error(`${why}. Output: ${out}\nLog: ${playgroundLog()}`));
    playground.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /Listening on (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    playground.stderr!.on("data", (d: Buffer) => {
      out += d.toString();
    });
    playground.once("exit", (code) => fail(`the playground exited (${code}) before listening`));
    playground.once("error", (e) => fail(`the playground could not start: ${e.message}`));
  });
  timings.listening = performance.now() - t0;
  base = `http://127.0.0.1:${port}`;
  // "Listening" comes before the playground has read its config: ready when it answers a ping.
  for (let i = 0; ; i++) {
    const pong = await fetch(`${base}/_debug/ping`)
      .then((r) => r.text())
      .catch(() => "");
    if (pong === "pong") break;
    if (i > 200) throw new Error(`the playground does not answer /_debug/ping. Log: ${playgroundLog()}`);
    await new Promise((r) => setImmediate(r));
  }
  timings.ready = performance.now() - t0;
  ws = new WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
  ws.on("message", (d) => {
    inbox.push(JSON.parse(d.toString()) as WsEvent);
    for (const w of waiters) w();
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
}, 20_000);

afterAll(async () => {
  ws?.close();
  if (playground?.pid && playground.exitCode === null) {
    process.kill(-playground.pid, "SIGTERM");
    await exited;
  }
  await app?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
  console.info(
    `Agents Playground timings (ms): ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])))}`,
  );
});

function playgroundLog(): string {
  try {
    return readFileSync(join(cwd, "devTools", "m365agentsplayground.log"), "utf8").slice(-2000);
  } catch {
    return "(no log)";
  }
}

/** The next websocket event that matches, waiting for it to arrive (never on the clock). */
function next(match: (e: WsEvent) => boolean, what: string): Promise<WsEvent> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const i = inbox.findIndex(match);
      if (i < 0) return false;
      waiters.delete(check);
      clearTimeout(timer);
      resolve(inbox.splice(i, 1)[0]!);
      return true;
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(
        new Error(`no ${what} on the playground websocket; got ${JSON.stringify(inbox).slice(0, 2000)}`),
      );
    }, 5000);
    if (!check()) waiters.add(check);
  });
}

const cardIn = (e: WsEvent) =>
  e.message.attachments?.find((a) => a.contentType.includes("adaptive"))?.content;
const cardSaying = (text: string) => (e: WsEvent) => {
  const c = cardIn(e);
  return c !== undefined && cardText(c).includes(text);
};

async function post(path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  const text = await res.text();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const textCard = (text: string) => messageCard({ ok: true, text }, { nonce: "" });

const say = (text: string, conversation = CONVERSATION, extra: object = {}) =>
  post(`/_conversation/v1/conversations/${encodeURIComponent(conversation)}/messages`, {
    from: { id: "user-id-0" },
    text,
    textFormat: "plain",
    ...extra,
  });

test("Agents Playground: install, help, a log with Undo, the form, a channel, proactive posts", async () => {
  const t0 = performance.now();
  await post(`/_debug/conversation/${CONVERSATION}/installation`, {});
  const welcome = await next(cardSaying("Hello Jane Smith."), "welcome card");
  expect(welcome.actionConversationId).toBe(CONVERSATION);

  let t = performance.now();
  await say("sos help");
  const help = cardIn(await next(cardSaying("What you can type as a worker"), "help card"))!;
  timings.helpRoundTrip = performance.now() - t;
  expect(cardProblems(help)).toEqual([]);

  t = performance.now();
  await say("sos mapped-with-family 12345");
  const logged = await next(cardSaying("Recorded Mapping with Family"), "confirmation card");
  timings.logRoundTrip = performance.now() - t;
  const confirmation = cardIn(logged)!;
  expect(cardText(confirmation)).toContain("for case 12345 (Melli Majid 13).");
  const undo = actionsOf(confirmation).find((a) => a.verb === "undo")!;
  expect((await app.t.run(JANE, "case 12345")).text).toContain("via teams");

  // Undo as Teams sends it (Action.Execute): the answer is the card that replaces the confirmation.
  const invoke = {
    name: "adaptiveCard/action",
    conversation: { id: CONVERSATION },
    from: { id: "user-id-0" },
    replyToId: logged.message.messageId,
    value: { action: { type: "Action.Execute", verb: undo.verb, data: undo.data }, trigger: "manual" },
  };
  const undone = await post("/_conversation/v1/invoke", invoke);
  expect(undone.type).toBe("application/vnd.microsoft.card.adaptive");
  expect(cardText(undone.value)).toContain("Undone: Mapping with Family");
  const twice = await post("/_conversation/v1/invoke", invoke);
  expect(cardText(twice.value)).toContain("nothing new was recorded");
  expect((await app.t.run(JANE, "case 12345")).caseView!.history.filter((h) => h.retracted)).toHaveLength(1);

  // "Log another" through the Action.Submit fallback: the card is updated in place.
  const another = actionsOf(confirmation).find((a) => a.verb === "form")!;
  await post("/_conversation/v1/submit", {
    conversation: { id: CONVERSATION },
    from: { id: "user-id-0" },
    replyToId: logged.message.messageId,
    value: another.fallback.data,
  });
  const updated = await next(
    (e) => e.action === "updateMessage" && cardSaying("Which case?")(e),
    "form update",
  );
  expect(updated.message.messageId).toBe(logged.message.messageId);

  // A channel: the bot must be @mentioned; children show as initials there.
  const { config } = (await fetch(`${base}/_internal/v1/config`).then((r) => r.json())) as {
    config: { bot: { id: string; name: string }; teams: { id: string }[] };
  };
  const at = `<at>${config.bot.name}</at>`;
  await say(`${at} sos mine`, config.teams[0]!.id, {
    mentions: [{ mentioned: { id: config.bot.id }, text: at }],
  });
  const inChannel = cardIn(await next(cardSaying("Jane Smith: 6 open cases."), "channel reply"))!;
  expect(cardText(inChannel)).toContain("M.M. 13");
  expect(cardText(inChannel)).not.toContain("Melli");

  // Proactive posts (the digests' API) reach the personal chat and the channel.
  const toJane = await app.surface.poster.postToUser(app.t.as(JANE), textCard("Nudge for Jane"), "nudge");
  expect(toJane).toMatchObject({ ok: true });
  expect((await next(cardSaying("Nudge for Jane"), "personal post")).actionConversationId).toBe(CONVERSATION);
  const channelId = (await app.surface.bot.deps.installs.all()).find((i) => i.kind === "channel")!.id;
  expect(channelId).toBe(config.teams[0]!.id); // the General channel, stored from the @mention
  const toChannel = await app.surface.poster.postToChannel(
    channelId,
    textCard("Digest for the team"),
    "digest",
  );
  expect(toChannel).toMatchObject({ ok: true });
  await next(cardSaying("Digest for the team"), "channel post");
  timings.scenario = performance.now() - t0;
});

test("Agents Playground: `sos mine` comes as one block per case that reads on a 360 px phone", async () => {
  await say("sos mine");
  const mine = cardIn(await next(cardSaying("Jane Smith: 6 open cases."), "dashboard card"))!;
  expect(cardProblems(mine)).toEqual([]);
  expect(phoneProblems(mine)).toEqual([]);
  // no wide table: each case its own block, under the worker's heading, as the seed groups them
  expect(JSON.stringify(mine)).not.toContain('"type":"Table"');
  const text = cardText(mine);
  expect(text).toContain(
    "Front end statutory child protection\nJane Smith's Cases\n⚠ **12345** · Melli Majid 13",
  );
  expect(text).toContain("Date Opened: 03/02/16");
  expect(text).toContain("Safety Goal: No ⚠");
  expect(text).toContain("Statutory family support / preventative\nJane Smith's Cases\n⚠ **22345**");
  expect(text).toContain("beside an element, the rule points at it. Type **sos stuck** to see why.");

  // the overview: an element the case's own dashboard does not have is "–", and the card says why
  await say("sos mine overview");
  const overview = cardIn(await next(cardSaying("Whole practice overview"), "overview card"))!;
  expect(phoneProblems(overview)).toEqual([]);
  expect(cardText(overview)).toContain("Timeline and Trajectory: –");
  expect(cardText(overview)).toContain("– not on this case's own dashboard");
});
