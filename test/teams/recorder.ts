import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { AdaptiveCard } from "../../adapters/teams/render/adaptive-card-kit.ts";
import { CallLog } from "../helpers/call-log.ts";

/**
 * A local stand-in for the Bot Connector service (the serviceUrl in each activity): records every
 * call the bot makes (replies, proactive sends, uploads, member lookups) and can refuse or fail them.
 * Started with `startTeamsRecorder()`, stopped with `close()`, like the Slack recorder
 * (test/slack/recorder.ts).
 */
export interface Call {
  readonly method: string;
  /** decoded, e.g. /v3/conversations/19:x@thread.tacv2;messageid=1/activities/m1 */
  readonly path: string;
  readonly body: Activityish;
  /** the bytes of a body that is not JSON (a file upload) */
  readonly raw?: Buffer;
  /** the Authorization header the bot sent, if any */
  readonly authorization?: string;
}

export interface Activityish {
  readonly type?: string;
  readonly text?: string;
  readonly summary?: string;
  readonly replyToId?: string;
  readonly attachments?: readonly { readonly contentType: string; readonly content: AdaptiveCard }[];
  readonly channelData?: { readonly channel?: { readonly id?: string } };
  readonly activity?: Activityish;
  readonly [key: string]: unknown;
}

export interface Recorder {
  readonly url: string;
  /** every call so far, in order */
  readonly calls: readonly Call[];
  /** The first call matching, already made or still to come (a proactive send, say). */
  waitFor(pred: (c: Call) => boolean, ms?: number): Promise<Call>;
  /** Teams members, by user id, for member lookups (email) */
  readonly members: Map<string, Record<string, unknown>>;
  /** conversation ids the "Teams" here refuses with 403, as for an app not installed there */
  readonly refuse: Set<string>;
  /** answer every send with HTTP 500 */
  failSends: boolean;
  /** answer the sends it picks with HTTP 500 */
  failWhen: ((call: Call) => boolean) | null;
  /** answer the sends it picks only when the promise it gives settles: a connector answering late */
  holdWhen: ((call: Call) => Promise<void> | null) | null;
  close(): Promise<void>;
}

/** A recorder on a free port. `host`: where it listens (0.0.0.0 for every interface); its `url` names it by 127.0.0.1. */
export async function startTeamsRecorder(host = "127.0.0.1"): Promise<Recorder> {
  const log = new CallLog<Call>();
  const members = new Map<string, Record<string, unknown>>();
  const refuse = new Set<string>();
  let seq = 0;
  const app = express();
  app.use(express.json({ limit: "5mb" }));
  app.use(express.raw({ type: () => true, limit: "5mb" }));
  const state: {
    failSends: boolean;
    failWhen: ((call: Call) => boolean) | null;
    holdWhen: ((call: Call) => Promise<void> | null) | null;
  } = { failSends: false, failWhen: null, holdWhen: null };
  app.use(async (req, res) => {
    const path = decodeURIComponent(req.path);
    const raw = Buffer.isBuffer(req.body) ? req.body : undefined;
    const call: Call = {
      method: req.method,
      path,
      body: (raw ? {} : (req.body ?? {})) as Activityish,
      ...(raw ? { raw } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    log.record(call);
    const conv = /^\/v3\/conversations\/([^/]+)/.exec(path)?.[1];
    const target = (req.body as Activityish | undefined)?.channelData?.channel?.id;
    if ((conv && refuse.has(conv.split(";")[0]!)) || (target && refuse.has(target))) {
      res.status(403).json({ error: { code: "BotNotInConversationRoster", message: "not in roster" } });
      return;
    }
    const member = /\/members\/([^/]+)$/.exec(path);
    if (req.method === "GET" && member) {
      const m = members.get(member[1]!);
      if (m) res.json(m);
      else res.status(404).json({ error: { code: "MemberNotFound" } });
      return;
    }
    const held = state.holdWhen?.(call);
    if (held) await held;
    if (state.failSends || state.failWhen?.(call)) {
      res.status(500).json({ error: { code: "ServiceError" } });
      return;
    }
    seq += 1;
    if (req.method === "POST" && path === "/v3/conversations") {
      res.status(201).json({ id: `19:created-${seq}@thread.tacv2;messageid=${seq}`, activityId: `${seq}` });
      return;
    }
    res.status(req.method === "POST" ? 201 : 200).json({ id: `rec-${seq}` });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, host, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    calls: log.calls,
    waitFor: (pred, ms) => log.waitFor(pred, ms),
    members,
    refuse,
    get failSends() {
      return state.failSends;
    },
    set failSends(v: boolean) {
      state.failSends = v;
    },
    get failWhen() {
      return state.failWhen;
    },
    set failWhen(f: ((call: Call) => boolean) | null) {
      state.failWhen = f;
    },
    get holdWhen() {
      return state.holdWhen;
    },
    set holdWhen(f: ((call: Call) => Promise<void> | null) | null) {
      state.holdWhen = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
