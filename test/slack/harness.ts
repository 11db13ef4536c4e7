import { createHmac } from "node:crypto";
import { createSlackSurface, type SlackOptions, type SlackSurface } from "../../adapters/slack/app.ts";
import { checkMessage, checkView } from "../../adapters/slack/render/blockkit-limits.ts";
import type { SlackSettings } from "../../adapters/slack/settings.ts";
import { manualClock } from "../../src/commands/clock.ts";
import type { Org } from "../../src/config/org.ts";
import { createApp, listen, type RunningServer } from "../../src/server/http.ts";
import { makeTestCtx, type TestCtx } from "../helpers/ctx.ts";
import { type RecordedCall, type Recorder, startSlackRecorder } from "./recorder.ts";

/**
 * The real app (createApp + listen on port 0) with the Slack surface mounted, a temp database, a
 * clock that moves only when told, and a recorder standing in for slack.com. Requests are signed
 * with a real HMAC, as Slack signs them.
 */

export const SECRET = "test-signing-secret";
export const FORM = "application/x-www-form-urlencoded";

/** The demo config's Slack ids. */
export const U = {
  jane: "U0DEMOJANE",
  alison: "U0DEMOALISON",
  sam: "U0DEMOSAM",
  morgan: "U0DEMOMORGAN",
  robin: "U0DEMOROBIN",
} as const;

export interface Sent {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
}

export interface SlackHarness {
  readonly t: TestCtx;
  readonly rec: Recorder;
  readonly surface: SlackSurface;
  readonly base: string;
  readonly clock: ReturnType<typeof manualClock>;
  readonly logs: string[];
  /** posts a raw, signed body to /slack/events */
  post(
    body: string,
    contentType: string,
    opts?: { ts?: number; signature?: string; headers?: Record<string, string> },
  ): Promise<Sent>;
  /** `/sos <text>` from a user; resolves when every listener has finished */
  command(
    user: string,
    text: string,
    opts?: { id?: string; trigger?: string; headers?: Record<string, string> },
  ): Promise<Done>;
  /** an interactivity payload (block_actions, view_submission, block_suggestion) */
  interact(payload: Record<string, unknown>): Promise<Sent & { done: Promise<void> }>;
  /** an Events API callback */
  event(
    event: Record<string, unknown>,
    opts?: { eventId?: string; headers?: Record<string, string> },
  ): Promise<Sent & { done: Promise<void> }>;
  /** the calls made while handling one request, found by its response_url id */
  replyTo(id: string): RecordedCall | undefined;
  close(): Promise<void>;
}

export interface Done extends Sent {
  /** the id of the command's response_url at the recorder */
  readonly id: string;
  /** the message the command answered with (its response_url call), if any */
  readonly reply: RecordedCall | undefined;
}

let seq = 0;

export function sign(secret: string, ts: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
}

export async function startSlack(
  opts: {
    config?: string | Org;
    settings?: Partial<SlackSettings>;
    demo?: boolean;
    options?: Partial<SlackOptions>;
  } = {},
): Promise<SlackHarness> {
  const clock = manualClock("2016-03-01T12:00:00Z");
  const t = makeTestCtx({
    clock,
    ...(opts.config !== undefined ? { config: opts.config } : {}),
    ...(opts.demo !== undefined ? { demo: opts.demo } : {}),
  });
  const rec = await startSlackRecorder();
  const logs: string[] = [];
  const surface = createSlackSurface(
    t.ctx,
    { mode: "http", botToken: "xoxb-test", signingSecret: SECRET, apiUrl: rec.apiUrl, ...opts.settings },
    {
      log: (l) => logs.push(l),
      retries: 0,
      backoff: { firstMs: 20, maxMs: 100 },
      signatureClock: clock,
      // Each change's Home published before the request is done: tests that look at it need no
      // timers (test/slack/home-refresh.test.ts tests the coalescing on timers moved by hand).
      homeRefresh: { windowMs: 0 },
      ...opts.options,
    },
  );
  const waiters: { match: (b: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
  // Bolt resolves a global middleware's next() once every listener has settled.
  surface.bolt.use(async ({ body, next }) => {
    try {
      await next();
    } finally {
      const b = body as unknown as Record<string, unknown>;
      for (const w of [...waiters]) {
        if (w.match(b)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    }
  });
  const handled = (match: (b: Record<string, unknown>) => boolean) =>
    new Promise<void>((resolve) => waiters.push({ match, resolve }));

  const app = createApp(t.ctx, [surface.mount], { log: (l) => logs.push(l) });
  const running: RunningServer = await listen(app, 0, [surface.mount]);
  const base = `http://127.0.0.1:${running.port}`;

  const post: SlackHarness["post"] = async (body, contentType, o = {}) => {
    const ts = o.ts ?? Math.floor(clock.now().getTime() / 1000);
    const res = await fetch(`${base}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": contentType,
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": o.signature ?? sign(SECRET, ts, body),
        ...o.headers,
      },
      body,
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  };

  return {
    t,
    rec,
    surface,
    base,
    clock,
    logs,
    post,
    async command(user, text, o = {}) {
      const id = o.id ?? `cmd${++seq}`;
      const url = rec.responseUrl(id);
      const done = handled((b) => b.response_url === url);
      const body = new URLSearchParams({
        token: "unused",
        team_id: "T1",
        team_domain: "agency",
        channel_id: "C0DEMONORTH",
        channel_name: "north-team",
        user_id: user,
        user_name: user.toLowerCase(),
        command: "/sos",
        text,
        api_app_id: "A1",
        is_enterprise_install: "false",
        response_url: url,
        trigger_id: o.trigger ?? `trig-${id}`,
      }).toString();
      const sent = await post(body, FORM, o.headers ? { headers: o.headers } : {});
      if (sent.status === 200) await done;
      return { ...sent, id, reply: rec.calls.find((c) => c.method === `response_url:${id}`) };
    },
    async interact(payload) {
      const key =
        payload.response_url ?? (payload.view as { id?: string } | undefined)?.id ?? payload.trigger_id;
      const done = handled(
        (b) => (b.response_url ?? (b.view as { id?: string } | undefined)?.id ?? b.trigger_id) === key,
      );
      const sent = await post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
      return { ...sent, done };
    },
    async event(event, o = {}) {
      const eventId = o.eventId ?? `Ev${++seq}`;
      const done = handled((b) => b.event_id === eventId);
      const body = JSON.stringify({
        token: "unused",
        team_id: "T1",
        api_app_id: "A1",
        event,
        type: "event_callback",
        event_id: eventId,
        event_time: Math.floor(clock.now().getTime() / 1000),
        authorizations: [{ team_id: "T1", user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
      });
      const sent = await post(body, "application/json", o.headers ? { headers: o.headers } : {});
      return { ...sent, done };
    },
    replyTo: (id) => rec.calls.find((c) => c.method === `response_url:${id}`),
    async close() {
      await running.close();
      await rec.close();
      t.close();
    },
  };
}

/** Every message and view the app sent to the recorder, checked against Slack's limits. */
export function limitProblems(calls: readonly RecordedCall[]): string[] {
  const problems: string[] = [];
  for (const c of calls) {
    const where = `${c.method}`;
    if (
      c.method.startsWith("response_url:") ||
      c.method === "chat.postMessage" ||
      c.method === "chat.postEphemeral"
    ) {
      const text = typeof c.body.text === "string" ? c.body.text : "";
      const blocks = Array.isArray(c.body.blocks) ? c.body.blocks : [];
      for (const p of checkMessage({ text, blocks })) problems.push(`${where}: ${p}`);
    }
    if (c.method === "views.open" || c.method === "views.update" || c.method === "views.publish") {
      for (const p of checkView(c.body.view as object)) problems.push(`${where}: ${p}`);
    }
  }
  return problems;
}

/** All the text of a message or view, for "does it say …" assertions. */
export function textOf(v: unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(textOf).join("\n");
  if (typeof v === "object" && v !== null) return Object.values(v).map(textOf).join("\n");
  return "";
}

/** Only the `text` fields, joined: what a rich_text table cell shows. */
export function shownText(v: unknown): string {
  if (Array.isArray(v)) return v.map(shownText).join("");
  if (typeof v !== "object" || v === null) return "";
  const o = v as Record<string, unknown>;
  return (typeof o.text === "string" ? o.text : "") + shownText(o.elements ?? []);
}

/** The table rows of a message or view, as text. */
export function tableRows(blocks: unknown): string[][] {
  const list = Array.isArray(blocks) ? (blocks as { type: string; rows?: unknown[][] }[]) : [];
  const table = list.find((b) => b.type === "table");
  return (table?.rows ?? []).map((r) => r.map((c) => shownText(c)));
}

/**
 * The cases of a dashboard message, as a phone shows them: each a section headed by its id in bold
 * (marked ⚠ when stuck) with its columns as `*label*\nvalue` fields.
 */
export function dashboardCases(blocks: unknown): { caseId: string; heading: string; fields: string[] }[] {
  const list = Array.isArray(blocks)
    ? (blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[])
    : [];
  const out: { caseId: string; heading: string; fields: string[] }[] = [];
  for (const b of list) {
    if (b.type !== "section") continue;
    const id = b.text && b.fields ? /^(?:⚠ )?\*([^*]+)\*/.exec(b.text.text)?.[1] : undefined;
    if (id) out.push({ caseId: id, heading: b.text!.text, fields: (b.fields ?? []).map((f) => f.text) });
    else if (!b.text && b.fields && out.length > 0)
      out[out.length - 1]!.fields.push(...b.fields.map((f) => f.text));
  }
  return out;
}

/** A block_actions payload for a button on a message the app sent. */
export function buttonPress(
  user: string,
  responseUrl: string,
  action: { action_id: string; value: string },
  messageTs = "1456833600.000100",
): Record<string, unknown> {
  return {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), team_id: "T1" },
    api_app_id: "A1",
    token: "unused",
    container: { type: "message", message_ts: messageTs, channel_id: "C0DEMONORTH", is_ephemeral: true },
    trigger_id: `trig-${++seq}`,
    team: { id: "T1", domain: "agency" },
    channel: { id: "C0DEMONORTH", name: "north-team" },
    response_url: responseUrl,
    actions: [
      { type: "button", block_id: "b", text: { type: "plain_text", text: "x" }, action_ts: "1.2", ...action },
    ],
  };
}

/** Finds the button with this action id in a message's or view's blocks. */
export function findButton(
  blocks: unknown,
  actionId: string | RegExp,
): { action_id: string; value: string } | undefined {
  const list = Array.isArray(blocks)
    ? (blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[])
    : [];
  for (const b of list) {
    if (b.type !== "actions") continue;
    for (const e of b.elements ?? []) {
      if (
        e.action_id &&
        (typeof actionId === "string" ? e.action_id === actionId : actionId.test(e.action_id))
      )
        return { action_id: e.action_id, value: e.value ?? "" };
    }
  }
  return undefined;
}

/** The view a views.* call carried. */
export interface SentView {
  readonly type: string;
  readonly callback_id?: string;
  readonly private_metadata?: string;
  readonly blocks: { type: string; block_id?: string; [k: string]: unknown }[];
}

export function viewOf(call: RecordedCall | undefined): SentView {
  if (!call) throw new Error("no such call was made");
  return call.body.view as SentView;
}

/** The block with this block_id in a sent view, typed as the test expects it to be. */
export function blockIn<T>(view: SentView, blockId: string): T {
  const b = view.blocks.find((x) => x.block_id === blockId);
  if (!b) throw new Error(`no block ${blockId} in the view`);
  return b as unknown as T;
}
