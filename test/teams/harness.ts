import type { TeamsSettings } from "../../adapters/teams/config.ts";
import { createTeamsSurface, type TeamsSurface } from "../../adapters/teams/index.ts";
import type { AdaptiveCard } from "../../adapters/teams/render/adaptive-card-kit.ts";
import type { Clock } from "../../src/commands/clock.ts";
import { createApp, listen, type RunningServer } from "../../src/server/http.ts";
import { makeTestCtx, type TestCtx } from "../helpers/ctx.ts";
import { type Microsoft, STAND_IN_APP_ID, STAND_IN_TENANT } from "./microsoft.ts";
import { type Activityish, type Call, type Recorder, startTeamsRecorder } from "./recorder.ts";

export type { Activityish, Call, Recorder };

/**
 * Teams protocol tests: the real app on a random port with a temp database, activities POSTed to
 * /api/messages as Teams would, and a local Bot Connector (recorder.ts, the activities' serviceUrl)
 * recording every call the bot makes. `/api/messages` answers only after the turn's calls are made, so after
 * a POST returns the recorder already holds the replies: nothing waits on the clock.
 */

export interface TeamsApp {
  readonly t: TestCtx;
  readonly surface: TeamsSurface;
  readonly server: RunningServer;
  readonly base: string;
  readonly rec: Recorder;
  /** the bot's log lines */
  readonly logs: string[];
  /** POSTs an activity to /api/messages; the calls the bot made meanwhile come back too */
  post(
    activity: object,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: unknown; calls: Call[] }>;
  close(): Promise<void>;
}

/**
 * `microsoft`: run with credentials against that local stand-in (tokens checked for real; each
 * POST carries a token vouching for its activity's serviceUrl unless it brings its own
 * Authorization header). Otherwise anonymous, as in local mode, unless `settings` say otherwise.
 */
export async function startTeamsApp(
  opts: {
    settings?: TeamsSettings;
    microsoft?: Microsoft;
    config?: string;
    demo?: boolean;
    clock?: Clock;
    rec?: Recorder;
    maxInFlight?: number;
  } = {},
): Promise<TeamsApp> {
  const t = makeTestCtx({
    ...(opts.config ? { config: opts.config, demo: opts.demo ?? true } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const rec = opts.rec ?? (await startTeamsRecorder());
  const logs: string[] = [];
  let n = 0;
  const ms = opts.microsoft;
  const settings: TeamsSettings = ms
    ? { appId: STAND_IN_APP_ID, clientSecret: "stand-in", tenantId: STAND_IN_TENANT }
    : (opts.settings ?? {});
  const surface = createTeamsSurface(t.ctx, settings, {
    log: (line) => logs.push(line),
    nonce: () => `nonce-${++n}`,
    ...(ms ? { microsoft: ms.endpoints } : {}),
    ...(opts.maxInFlight !== undefined ? { maxInFlight: opts.maxInFlight } : {}),
  });
  const server = await listen(createApp(t.ctx, [surface.mount], { log: (line) => logs.push(line) }), 0, [
    surface.mount,
  ]);
  const base = `http://127.0.0.1:${server.port}`;
  return {
    t,
    surface,
    server,
    base,
    rec,
    logs,
    async post(activity, headers = {}) {
      const before = rec.calls.length;
      const serviceUrl = (activity as { serviceUrl?: unknown }).serviceUrl;
      const vouched: Record<string, string> =
        ms && !("authorization" in headers) && typeof serviceUrl === "string"
          ? { authorization: `Bearer ${ms.token(serviceUrl)}` }
          : {};
      const res = await fetch(`${base}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", ...vouched, ...headers },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {}
      return { status: res.status, body, calls: rec.calls.slice(before) };
    },
    async close() {
      await server.close();
      if (!opts.rec) await rec.close();
      t.close();
    },
  };
}

// ---- activities, shaped as Teams sends them --------------------------------------------------

export const BOT = { id: "28:bot-app-id", name: "sos" };
export const TENANT = "tenant-1";
/** Jane Smith as the demo config knows her in Teams (the Agents Playground's default user id) */
export const JANE_TEAMS = {
  id: "user-id-0",
  name: "Jane Smith",
  aadObjectId: "00000000-0000-0000-0000-0000000000a1",
};
export const PERSONAL = { id: "a:personal-jane", conversationType: "personal", tenantId: TENANT };
export const CHANNEL_ID = "19:demo-north@thread.tacv2";
export const TEAM_ID = "19:team-north@thread.tacv2";

let ids = 0;
export const nextId = () => `m${++ids}`;

export function activity(rec: Recorder, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    type: "message",
    id: nextId(),
    timestamp: "2016-03-01T12:00:00.000Z",
    channelId: "msteams",
    serviceUrl: rec.url,
    from: JANE_TEAMS,
    recipient: BOT,
    conversation: PERSONAL,
    channelData: { tenant: { id: TENANT } },
    ...fields,
  };
}

export function personalMessage(rec: Recorder, text: string, fields: Record<string, unknown> = {}) {
  return activity(rec, { text, ...fields });
}

/** A message in a channel thread, with the bot @mentioned as Teams requires there. */
export function channelMessage(rec: Recorder, text: string, fields: Record<string, unknown> = {}) {
  return activity(rec, {
    text: `<at>sos</at> ${text}`,
    conversation: {
      id: `${CHANNEL_ID};messageid=1456000000000`,
      conversationType: "channel",
      isGroup: true,
      tenantId: TENANT,
    },
    entities: [{ type: "mention", text: "<at>sos</at>", mentioned: BOT }],
    channelData: { tenant: { id: TENANT }, team: { id: TEAM_ID }, channel: { id: CHANNEL_ID } },
    ...fields,
  });
}

/** Action.Execute on a card the bot sent (message id `replyToId`). */
export function execute(
  rec: Recorder,
  verb: string,
  data: Record<string, unknown>,
  fields: Record<string, unknown> = {},
) {
  return activity(rec, {
    type: "invoke",
    name: "adaptiveCard/action",
    replyToId: "card-1",
    value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
    ...fields,
  });
}

/** Action.Submit: a message with no text whose value is the action's data plus the inputs. */
export function submit(rec: Recorder, value: Record<string, unknown>, fields: Record<string, unknown> = {}) {
  return activity(rec, { replyToId: "card-1", value, ...fields });
}

// ---- reading what the bot sent ---------------------------------------------------------------

export function cardOf(call: Call | undefined): AdaptiveCard {
  const card = call?.body.attachments?.[0]?.content ?? call?.body.activity?.attachments?.[0]?.content;
  if (!card) throw new Error(`no card in ${JSON.stringify(call)}`);
  return card;
}

/** The card an invoke answered with. */
export function invokeCard(body: unknown): AdaptiveCard {
  const b = body as { statusCode?: number; type?: string; value?: AdaptiveCard };
  if (b?.statusCode !== 200 || b.type !== "application/vnd.microsoft.card.adaptive" || !b.value) {
    throw new Error(`not a card invoke response: ${JSON.stringify(body)}`);
  }
  return b.value;
}

export function sends(calls: readonly Call[]): Call[] {
  return calls.filter((c) => c.method !== "GET");
}
