import type { SocketModeReceiver, webApi } from "@slack/bolt";
import { reason, type SlackLog } from "./log.ts";

/**
 * Staying connected without ever crashing. Bolt would call auth.test while it is built and crash the
 * process when Slack is out of reach; instead the app starts at once and this asks Slack who the bot
 * is in the background, logging one clear line on failure and trying again with growing pauses.
 * Socket Mode gets the same care: its own reconnection is switched off (it can die on a network
 * error, bolt-js #2071) and this reconnects instead.
 */

export interface Backoff {
  /** first pause after a failure */
  readonly firstMs: number;
  /** longest pause */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { firstMs: 5_000, maxMs: 300_000 };

const pause = (b: Backoff, failures: number) => Math.min(b.maxMs, b.firstMs * 2 ** Math.max(0, failures - 1));

export interface BotIds {
  readonly botId?: string;
  readonly botUserId?: string;
}

export interface AuthWatch {
  /** the bot's ids once Slack has answered; empty until then (only self-message filtering needs them) */
  ids(): BotIds;
  /** resolves after the first answer, good or bad (for tests and the start-up banner) */
  readonly settled: Promise<void>;
  /** whether Slack has answered auth.test with yes (what `/readyz` asks) */
  reached(): boolean;
  stop(): void;
}

export function watchAuth(
  client: webApi.WebClient,
  log: SlackLog,
  backoff: Backoff = DEFAULT_BACKOFF,
  apiUrl = "https://slack.com/api/",
): AuthWatch {
  let ids: BotIds = {};
  let reached = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let settle: () => void = () => {};
  const settled = new Promise<void>((r) => {
    settle = r;
  });

  const attempt = async () => {
    timer = undefined;
    try {
      const r = await client.auth.test();
      reached = true;
      ids = { ...(r.bot_id ? { botId: r.bot_id } : {}), ...(r.user_id ? { botUserId: r.user_id } : {}) };
      log(
        `${failures > 0 ? "reached Slack again" : "connected"}: workspace ${r.team ?? r.team_id ?? "?"}, bot @${r.user ?? "?"}.`,
      );
      failures = 0;
    } catch (e) {
      failures++;
      if (stopped) return;
      const why = reason(e);
      const wait = pause(backoff, failures);
      const hint = /invalid_auth|not_authed|token_revoked|account_inactive/.test(why)
        ? " Check SLACK_BOT_TOKEN."
        : "";
      log(`can't reach Slack at ${apiUrl} (${why}); trying again in ${Math.round(wait / 1000)} s.${hint}`);
      timer = setTimeout(() => void attempt(), wait);
      timer.unref();
    } finally {
      settle();
    }
  };
  void attempt();
  return {
    ids: () => ids,
    settled,
    reached: () => reached,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

export interface SocketWatch {
  /** whether the socket is connected now (what `/readyz` asks) */
  connected(): boolean;
  stop(): Promise<void>;
}

/** A connection that lasted this long was healthy: losing it is news, not a failure in a row. */
const STABLE_MS = 30_000;

/** Connects a Socket Mode receiver and keeps it connected, with pauses that grow on failure. */
export function superviseSocket(
  receiver: SocketModeReceiver,
  log: SlackLog,
  backoff: Backoff = DEFAULT_BACKOFF,
): SocketWatch {
  const client = receiver.client;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let everConnected = false;
  let connectedAt: number | undefined;

  /** `now`: straight away, after a healthy connection ended (Slack refreshes them every few hours). */
  const schedule = (why: string, now = false) => {
    if (stopped || timer) return;
    const wait = now ? 0 : pause(backoff, ++failures);
    log(`Socket Mode ${why}; connecting again in ${Math.round(wait / 1000)} s.`);
    timer = setTimeout(() => void connect(), wait);
    timer.unref();
  };
  const connect = async () => {
    timer = undefined;
    try {
      await receiver.start();
    } catch (e) {
      schedule(`could not connect (${reason(e)})`);
    }
  };
  client.on("connected", () => {
    log(`Socket Mode ${everConnected ? "connected again" : "connected"}.`);
    everConnected = true;
    connectedAt = Date.now();
  });
  client.on("disconnected", () => {
    const lasted = connectedAt !== undefined && Date.now() - connectedAt >= STABLE_MS;
    connectedAt = undefined;
    if (lasted) failures = 0;
    schedule("disconnected", lasted);
  });
  void connect();
  return {
    connected: () => connectedAt !== undefined,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await receiver.stop().catch(() => {});
    },
  };
}
