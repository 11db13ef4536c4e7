import { randomUUID } from "node:crypto";
import { Activity, ActivityTypes } from "@microsoft/agents-activity";
import {
  AgentApplication,
  type AuthConfiguration,
  AuthType,
  CloudAdapter,
  createOutboundHostValidator,
  getAuthConfigWithDefaults,
  type TurnContext,
  type TurnState,
} from "@microsoft/agents-hosting";
import type { Ctx } from "../../src/app/context.ts";
import { BUSY_TEXT, isServerBusy } from "../../src/commands/offload.ts";
import { lineLog, logger } from "../../src/obs/logger.ts";
import { createAdmission } from "../../src/server/admission.ts";
import { type ActionData, onCardAction } from "./actions.ts";
import type { MicrosoftEndpoints, TeamsSettings } from "./config.ts";
import type { Installations } from "./conversations.ts";
import { FILE_CONSENT_INVOKE, onFileConsent } from "./files.ts";
import { EmailCache } from "./identity.ts";
import { onInstallationUpdate, onMembersAdded, onMembersRemoved } from "./install.ts";
import { rememberingInstallations } from "./installations-cache.ts";
import { sqliteInstallations } from "./installations-sqlite.ts";
import { onTextMessage } from "./messages.ts";
import { noticeCard } from "./render/adaptive-card.ts";
import { audienceOf, type BotDeps, cardMessage, errorName, replaceCard } from "./turn.ts";

/**
 * The Teams bot: a Microsoft 365 Agents SDK `AgentApplication` whose routes hand each activity to
 * the handlers here, which call the core and answer with cards. No HTTP in this file (see route.ts).
 */
export interface TeamsBot {
  readonly adapter: CloudAdapter;
  readonly agent: AgentApplication<TurnState>;
  readonly authConfig: AuthConfiguration;
  readonly deps: BotDeps;
  /** the app id proactive sends present; any non-empty string when anonymous */
  readonly appId: string;
  /** credentials are set: every request carries a Microsoft token, checked (route.ts) */
  readonly secure: boolean;
}

const SORRY =
  "Sorry, something went wrong on my side. If you were recording something, type `/sos mine` to check whether it was recorded before you try again.";

export function createTeamsBot(
  ctx: Ctx,
  settings: TeamsSettings,
  opts: {
    log?: (line: string) => void;
    nonce?: () => string;
    microsoft?: MicrosoftEndpoints;
    /** messages served at once before one more is told the server is busy (default 256) */
    maxInFlight?: number;
    /** where conversation references are kept (default: the SQLite file, `ctx.store`) */
    installs?: Installations;
  } = {},
): TeamsBot {
  const standIn = settings.appId ? opts.microsoft : undefined;
  const authConfig = getAuthConfigWithDefaults({
    clientId: settings.appId,
    clientSecret: settings.clientSecret,
    tenantId: settings.tenantId,
    ...(standIn
      ? {
          authority: standIn.authority,
          authType: AuthType.EntraAuthSideCar,
          sidecarBaseUrl: standIn.tokenSidecar,
        }
      : {}),
  });
  // With credentials, replies may only go to Microsoft's own hosts, whatever serviceUrl an activity
  // names (and, anonymous, route.ts answers only a connector on this machine).
  const hosts = settings.appId
    ? createOutboundHostValidator({ enabled: true, hosts: standIn?.connectorHosts ?? [] })
    : undefined;
  const adapter = new CloudAdapter(authConfig, undefined, undefined, undefined, hosts);
  // The SDK's default would tell the user to "fix the source code" and log the error's text; let the
  // error reach the caller instead (the route answers 500, a proactive post reports a failure).
  // (AgentApplication.onError would set this same handler.)
  adapter.onTurnError = async (_turn, e) => {
    throw e;
  };
  const agent = new AgentApplication<TurnState>({ adapter, removeRecipientMention: true });
  const deps: BotDeps = {
    ctx,
    // Every activity remembers its place; this process skips the store when it wrote the same a moment ago.
    installs: rememberingInstallations(opts.installs ?? sqliteInstallations(ctx.store), ctx.clock),
    emails: new EmailCache(),
    lookups: Boolean(settings.appId),
    nonce: opts.nonce ?? (() => randomUUID()),
    log: opts.log ?? lineLog(logger(), "teams", "warn"),
  };

  const guard =
    (route: string, handler: (d: BotDeps, turn: TurnContext) => Promise<void>) =>
    async (turn: TurnContext) => {
      try {
        await handler(deps, turn);
      } catch (e) {
        const busy = isServerBusy(e);
        deps.log(
          busy
            ? `teams: busy: a ${route} was turned away (the readers are full)`
            : `teams: ${route} failed: ${errorName(e)}`,
        );
        if (turn.activity.type === ActivityTypes.Message) {
          await turn
            .sendActivity(cardMessage(noticeCard(busy ? BUSY_TEXT : SORRY, "problem")))
            .catch(() => {});
        }
      }
    };
  // Past the bound, a message is answered at once that the server is busy, and nothing is done.
  const admission = createAdmission(opts.maxInFlight);
  const admitted =
    (handler: (d: BotDeps, turn: TurnContext) => Promise<void>) => async (d: BotDeps, turn: TurnContext) => {
      const leave = admission.enter();
      if (!leave) {
        d.log(`teams: busy: a message was turned away (${admission.inFlight()} being served)`);
        await turn.sendActivity(cardMessage(noticeCard(BUSY_TEXT, "problem")));
        return;
      }
      try {
        await handler(d, turn);
      } finally {
        leave();
      }
    };

  // Invoke routes come first whatever the order: Action.Execute from our cards.
  agent.addRoute(
    async (turn) =>
      turn.activity.type === ActivityTypes.Invoke && turn.activity.name === "adaptiveCard/action",
    async (turn) => onExecute(deps, turn),
    true,
  );
  // The file consent card of `sos export csv`: Allow or Decline.
  agent.addRoute(
    async (turn) => turn.activity.type === ActivityTypes.Invoke && turn.activity.name === FILE_CONSENT_INVOKE,
    async (turn) => onFileConsent(deps, turn, { secure: Boolean(settings.appId) }),
    true,
  );
  agent.onActivity(ActivityTypes.InstallationUpdate, guard("installation", onInstallationUpdate));
  agent.onConversationUpdate("membersAdded", guard("members added", onMembersAdded));
  agent.onConversationUpdate("membersRemoved", guard("members removed", onMembersRemoved));
  agent.onActivity(ActivityTypes.Message, guard("message", admitted(onMessage)));

  return {
    adapter,
    agent,
    authConfig,
    deps,
    appId: settings.appId ?? "sos-local",
    secure: Boolean(settings.appId),
  };
}

/** A message with no text and a value is an Action.Submit; anything else is a typed command. */
async function onMessage(deps: BotDeps, turn: TurnContext): Promise<void> {
  const { text, value } = turn.activity;
  if (!text?.trim() && isRecord(value)) {
    const { verb, ...data } = value;
    const outcome = await onCardAction(deps, turn, typeof verb === "string" ? verb : "", data);
    // Show the outcome where the card was, as Action.Execute would; a new message if that fails
    // or if the pressed card is to stay (a nudge's Log…).
    if (outcome.separate || !(await replaceCard(deps, turn, outcome.card)))
      await turn.sendActivity(cardMessage(outcome.card));
    return;
  }
  await onTextMessage(deps, turn);
}

/**
 * Action.Execute: the answer is the card that replaces the pressed one for whoever pressed it. When
 * the record changed in a shared conversation, the card is replaced for everyone too.
 */
async function onExecute(deps: BotDeps, turn: TurnContext): Promise<void> {
  let body: Record<string, unknown>;
  try {
    const action = (isRecord(turn.activity.value) ? turn.activity.value.action : undefined) ?? {};
    const verb = isRecord(action) && typeof action.verb === "string" ? action.verb : "";
    const data: ActionData = isRecord(action) && isRecord(action.data) ? action.data : {};
    const outcome = await onCardAction(deps, turn, verb, data);
    if (outcome.separate) {
      // The pressed card stays as it is; the answer is a message of its own, and a short note.
      await turn.sendActivity(cardMessage(outcome.card));
      body = {
        statusCode: 200,
        type: "application/vnd.microsoft.activity.message",
        value: outcome.separate.note,
      };
    } else {
      if (outcome.wrote && audienceOf(turn.activity) === "channel")
        await replaceCard(deps, turn, outcome.card);
      body = { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: outcome.card };
    }
  } catch (e) {
    const busy = isServerBusy(e);
    deps.log(
      busy
        ? "teams: busy: a card action was turned away (the readers are full)"
        : `teams: card action failed: ${errorName(e)}`,
    );
    body = {
      statusCode: 200,
      type: "application/vnd.microsoft.card.adaptive",
      value: noticeCard(busy ? BUSY_TEXT : SORRY, "problem"),
    };
  }
  await turn.sendActivity(
    Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } }),
  );
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
