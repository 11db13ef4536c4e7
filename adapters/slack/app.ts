import { App, type AuthorizeResult, ExpressReceiver, SocketModeReceiver, webApi } from "@slack/bolt";
import express from "express";
import type { Ctx } from "../../src/app/context.ts";
import { type Clock, systemClock } from "../../src/commands/clock.ts";
import { createAdmission } from "../../src/server/admission.ts";
import type { Mount } from "../../src/server/http.ts";
import { registerActions } from "./actions.ts";
import {
  type AuthWatch,
  type Backoff,
  DEFAULT_BACKOFF,
  type SocketWatch,
  superviseSocket,
  watchAuth,
} from "./connect.ts";
import type { SlackDeps } from "./deps.ts";
import { createHome, type Home, registerHome } from "./home.ts";
import type { SharedRefresh, Timers } from "./home-refresh.ts";
import { createIdentity } from "./identity.ts";
import { appLog, boltLogger, reason, type SlackLog } from "./log.ts";
import { registerModals } from "./modals.ts";
import { registerNudgeActions } from "./nudge.ts";
import { createPoster, type SlackPoster } from "./post.ts";
import type { SlackSettings } from "./settings.ts";
import { registerSlash } from "./slash.ts";
import { verifySlack } from "./verify.ts";

/** Where Slack sends slash commands, interactivity, options and events in HTTP mode. */
export const EVENTS_PATH = "/slack/events";

export interface SlackOptions {
  /** where log lines go; default standard error */
  readonly log?: SlackLog;
  /** Web API retries for a call made while someone waits (default 2; tests use 0) */
  readonly retries?: number;
  /** pauses between attempts to reach Slack after a failure */
  readonly backoff?: Backoff;
  /** how long a form's answer waits on users.info before saying "try again" (default 2000 ms) */
  readonly formWaitMs?: number;
  /**
   * App Home refreshes after a change: at most one per person per `windowMs` (default 5 s; 0
   * publishes each straight away), on `timers` (tests move them by hand)
   */
  readonly homeRefresh?: {
    readonly windowMs?: number;
    readonly timers?: Timers;
    /** several instances on one database: the window held across them (`sos start` on PostgreSQL) */
    readonly shared?: SharedRefresh;
  };
  /** slash commands served at once before one more is told the server is busy (default 256) */
  readonly maxInFlight?: number;
  /**
   * The clock request signatures are checked against: real time by default, not the app's clock,
   * which `--today`/`SOS_TODAY` may stand on a demo day while Slack signs with the real time.
   */
  readonly signatureClock?: Clock;
}

export interface SlackSurface {
  /** for the one HTTP server: POST /slack/events (HTTP mode), or the Socket Mode connection */
  readonly mount: Mount;
  readonly bolt: App;
  /** the posting API for digests and nudges */
  readonly poster: SlackPoster;
  readonly client: webApi.WebClient;
  readonly home: Home;
}

/** How many event ids to remember, to drop an Events API retry of an event already handled. */
const SEEN_EVENTS = 1000;

function register(app: App, deps: SlackDeps & { home: Home }, log: SlackLog): void {
  const seen = new Set<string>();
  app.use(async ({ body, next }) => {
    const id = (body as { event_id?: unknown }).event_id;
    if (typeof id === "string") {
      if (seen.has(id)) return;
      seen.add(id);
      if (seen.size > SEEN_EVENTS) seen.delete(seen.values().next().value!);
    }
    await next();
  });
  app.error(async (e) => {
    log(`a request failed (${reason(e)})`);
  });
  registerSlash(app, deps);
  registerActions(app, deps);
  registerModals(app, deps);
  registerNudgeActions(app, deps);
  registerHome(app, deps);
}

export function createSlackSurface(ctx: Ctx, settings: SlackSettings, opts: SlackOptions = {}): SlackSurface {
  const log = opts.log ?? appLog;
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const logger = boltLogger(log);
  const clientOptions: webApi.WebClientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    retryConfig: { retries: opts.retries ?? 2, factor: 2, minTimeout: 500, maxTimeout: 5000 },
    timeout: 10_000,
    logger: boltLogger(log, true),
  };
  const client = new webApi.WebClient(settings.botToken, clientOptions);
  // The background check asks once per attempt and reports failures itself.
  const probe = new webApi.WebClient(settings.botToken, { ...clientOptions, retryConfig: { retries: 0 } });
  let auth: AuthWatch | undefined;
  // No auth.test while building (it crashes the process when Slack is unreachable): the ids come
  // from the background watch when Slack answers; requests are served with the token meanwhile.
  const authorize = async (): Promise<AuthorizeResult> => ({
    botToken: settings.botToken,
    ...(auth?.ids() ?? {}),
  });

  const identity = createIdentity(ctx, log);
  const home = createHome(ctx, identity, log, opts.homeRefresh);
  const deps = {
    ctx,
    identity,
    log,
    home,
    admission: createAdmission(opts.maxInFlight),
    formWaitMs: opts.formWaitMs ?? 2000,
  };
  const poster = createPoster(ctx, client, log);

  if (settings.mode === "socket") {
    const receiver = new SocketModeReceiver({
      appToken: settings.appToken!,
      logger,
      autoReconnectEnabled: false,
      installerOptions: { clientOptions: { ...clientOptions, retryConfig: { retries: 0 } } },
    });
    const bolt = new App({ receiver, logger, clientOptions, authorize, convoStore: false });
    register(bolt, deps, log);
    let socket: SocketWatch | undefined;
    const mount: Mount = {
      name: "slack",
      describe: "Slack:     Socket Mode (the bot connects out to Slack; no public URL needed)",
      mount() {
        auth = watchAuth(probe, log, backoff, settings.apiUrl);
        socket = superviseSocket(receiver, log, backoff);
      },
      async stop() {
        auth?.stop();
        await socket?.stop();
      },
      ready: () =>
        !auth?.reached()
          ? "Slack has not answered yet (auth.test): see the log"
          : !socket?.connected()
            ? "the Socket Mode connection is not open: see the log"
            : null,
    };
    return { mount, bolt, poster, client, home };
  }

  const router = express.Router();
  const receiver = new ExpressReceiver({
    signingSecret: settings.signingSecret!,
    // Checked before Bolt, with the app's clock (verify.ts).
    signatureVerification: false,
    router,
    endpoints: EVENTS_PATH,
    processBeforeResponse: false,
    logger,
  });
  // No conversation store: nothing here keeps state per conversation, and Bolt's in-memory one
  // builds an Error ("Conversation not found") with its stack for every request.
  const bolt = new App({ receiver, logger, clientOptions, authorize, convoStore: false });
  register(bolt, deps, log);
  const mount: Mount = {
    name: "slack",
    describe: `Slack:     POST ${EVENTS_PATH} (HTTP mode: slash command, buttons, forms, App Home)`,
    mount(web) {
      web.post(EVENTS_PATH, ...verifySlack(settings.signingSecret!, opts.signatureClock ?? systemClock, log));
      web.use(router);
      auth = watchAuth(probe, log, backoff, settings.apiUrl);
    },
    stop() {
      auth?.stop();
    },
    paths: [EVENTS_PATH],
    ready: () => (auth?.reached() ? null : "Slack has not answered yet (auth.test): see the log"),
  };
  return { mount, bolt, poster, client, home };
}
