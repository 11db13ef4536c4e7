import type { App, BlockAction, ButtonAction, types, webApi } from "@slack/bolt";
import type { Ctx } from "../../src/app/context.ts";
import { isServerBusy } from "../../src/commands/offload.ts";
import type { HomeRefresher, SlackDeps } from "./deps.ts";
import { coalescedRefresh, type SharedRefresh, type Timers } from "./home-refresh.ts";
import { HOME, homeView } from "./home-view.ts";
import type { Identity, Who } from "./identity.ts";
import { reason, type SlackLog } from "./log.ts";
import { canLog, canOpen, openCaseModal, openLogModal } from "./modals.ts";
import { HomePageValue, read } from "./payloads.ts";
import { checkView } from "./render/blockkit-limits.ts";

/** Publishes App Home views, remembering which table page each person is on. */
export interface Home extends HomeRefresher {
  publish(userId: string, client: webApi.WebClient, page?: number): Promise<void>;
  /**
   * The person is looking at their Home (they opened it, or pressed one of its buttons): recorded
   * first, so their changes from now on are refreshed (`coalescedRefresh`), then published fresh.
   */
  open(userId: string, client: webApi.WebClient, page?: number): Promise<void>;
  /** The person pressed a button on their Home: they are looking at it (recorded only). */
  seen(userId: string): Promise<void>;
}

export function createHome(
  ctx: Ctx,
  identity: Identity,
  log: SlackLog,
  refreshing: { readonly windowMs?: number; readonly timers?: Timers; readonly shared?: SharedRefresh } = {},
): Home {
  const pages = new Map<string, number>();

  async function publishAs(userId: string, who: Who, client: webApi.WebClient): Promise<void> {
    let view: types.HomeView;
    try {
      view = await homeView(ctx, who, pages.get(userId) ?? 0);
    } catch (e) {
      // The readers are full: the Home keeps what it showed, and the next open or change redraws it.
      if (!isServerBusy(e)) throw e;
      log(`busy: the App Home for ${userId} was not redrawn (the readers are full)`);
      return;
    }
    const problems = checkView(view);
    if (problems.length > 0) log(`the App Home for ${userId} breaks Slack's limits (${problems[0]})`);
    try {
      // The view as JSON already: the Web API client walks every object argument to build debug
      // lines it then drops (`redact`, whatever the log level), which for a whole App Home was a
      // tenth of the server's CPU under load. On the wire it is the same form field.
      await client.apiCall("views.publish", { user_id: userId, view: JSON.stringify(view) });
    } catch (e) {
      log(`views.publish for ${userId} failed (${reason(e)})`);
    }
  }

  const refresher = coalescedRefresh(
    (userId, actor, client) => publishAs(userId, { actor }, client),
    refreshing.windowMs,
    refreshing.timers,
    (line) => log(line.replace(/^slack: /, "")),
    refreshing.shared,
  );
  async function publish(userId: string, client: webApi.WebClient, page?: number): Promise<void> {
    if (page !== undefined) pages.set(userId, page);
    await publishAs(userId, await identity.resolve(userId, client), client);
  }
  return {
    publish,
    async open(userId, client, page) {
      await refresher.opened(userId);
      await publish(userId, client, page);
    },
    seen: (userId) => refresher.opened(userId),
    refresh: refresher.refresh,
  };
}

export function registerHome(app: App, deps: SlackDeps & { home: Home }): void {
  const { identity, home, log } = deps;

  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    await home.open(event.user, client);
  });

  app.action<BlockAction<ButtonAction>>(HOME.log, async ({ ack, body, client }) => {
    await ack();
    const who = await identity.resolve(body.user.id, client);
    if (!("actor" in who) || !canLog(who.actor)) return;
    await openLogModal(deps, client, body.trigger_id).catch((e) => log(`views.open failed (${reason(e)})`));
    // After the form is open (its trigger expires in 3 s): what they log from it refreshes the Home.
    await home.seen(body.user.id);
  });

  app.action<BlockAction<ButtonAction>>(HOME.open, async ({ ack, body, client }) => {
    await ack();
    const who = await identity.resolve(body.user.id, client);
    if (!("actor" in who) || !canOpen(who.actor)) return;
    await openCaseModal(deps, client, who.actor, body.trigger_id).catch((e) =>
      log(`views.open failed (${reason(e)})`),
    );
    await home.seen(body.user.id);
  });

  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^${HOME.page}_(prev|next)$`),
    async ({ ack, body, action, client }) => {
      await ack();
      const page = read(HomePageValue, action.value);
      // A page button pressed: the person is looking at their Home.
      if (page !== undefined) await home.open(body.user.id, client, page);
    },
  );
}
