import type { ConversationParameters } from "@microsoft/agents-activity";
import type { Actor } from "../../src/domain/access.ts";
import type { TeamsBot } from "./bot.ts";
import type { Installation } from "./conversations.ts";
import type { AdaptiveCard } from "./render/adaptive-card-kit.ts";
import { cardMessage, errorName } from "./turn.ts";

/**
 * Posting when nobody asked (digests, nudges): a card to a channel named in the config, or to a
 * staff member's personal chat with the app. Teams allows this only where the app is installed, so
 * the result says plainly when it is not, and what to do about it. The SDK sends each activity once
 * (plain fetch, no retries of its own); `mayHaveArrived` says a failure had no answer from Teams
 * (a timeout, the connection dropped), so the card may be there all the same.
 */
export type PostResult =
  | { readonly ok: true; readonly conversationId: string }
  | {
      readonly ok: false;
      readonly reason: "not_installed" | "failed";
      readonly message: string;
      readonly mayHaveArrived?: boolean;
    };

export interface TeamsPoster {
  /**
   * A new post (thread) in a channel, e.g. `19:…@thread.tacv2` from `teams[].channels.teams`; or a
   * message in a group chat the app is in, by the chat's id.
   */
  postToChannel(channelId: string, card: AdaptiveCard, text: string): Promise<PostResult>;
  /** a message in the person's personal chat with the app */
  postToUser(staff: Actor, card: AdaptiveCard, text: string): Promise<PostResult>;
  /** whether the person has the app in a personal chat, so they can get a message there */
  reaches(staff: Actor): Promise<boolean>;
  /**
   * A reply in the thread a `postToChannel` started (its `conversationId`, `19:…;messageid=…`); for
   * a group chat's id, one more message in the chat.
   */
  postInThread(conversationId: string, card: AdaptiveCard, text: string): Promise<PostResult>;
}

const BOT_FRAMEWORK = "https://api.botframework.com";

/** How long one send waits for the Bot Connector's answer before it counts as unconfirmed. */
export const SEND_TIMEOUT_MS = 30_000;

/** Network failures where the request never reached the connector: nothing can have arrived. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

class SendTimeout extends Error {
  override name = "TimeoutError";
}

/** Whether a failed send may have reached Teams: no HTTP answer, and not a connection never made. */
function mayHaveArrived(e: unknown): boolean {
  if (typeof (e as { status?: unknown }).status === "number") return false;
  const cause = (e as { cause?: { code?: unknown } }).cause;
  return !(typeof cause?.code === "string" && NEVER_CONNECTED.has(cause.code));
}

/** The send, or a `SendTimeout` when no answer comes in time (the send itself may still land). */
async function within<T>(ms: number, send: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeout(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([send(), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function createPoster(bot: TeamsBot, opts: { timeoutMs?: number } = {}): TeamsPoster {
  const timeoutMs = opts.timeoutMs ?? SEND_TIMEOUT_MS;
  const { installs, ctx, log } = bot.deps;
  const now = () => ctx.clock.now().toISOString();
  const notInstalled = (message: string): PostResult => ({ ok: false, reason: "not_installed", message });
  const refused = (e: unknown) => {
    const status = (e as { status?: unknown }).status;
    return status === 403 || status === 404 ? status : null;
  };
  const failed = (where: string, e: unknown): PostResult => {
    log(`teams: posting to ${where} failed: ${errorName(e)}`);
    const unknown = mayHaveArrived(e);
    return {
      ok: false,
      reason: "failed",
      message: unknown
        ? `Teams did not answer the post to ${where} (${errorName(e)}).`
        : `Posting to ${where} failed (${errorName(e)}). Try again later.`,
      mayHaveArrived: unknown,
    };
  };

  /** A message of its own in a conversation the app is in (a personal or group chat). */
  const continueIn = async (
    row: Installation,
    card: AdaptiveCard,
    text: string,
    where: string,
  ): Promise<PostResult> => {
    try {
      let conversationId = row.id;
      await within(timeoutMs, () =>
        bot.adapter.continueConversation(bot.appId, row.reference, async (turn) => {
          // A proactive send would otherwise be a reply to an invented message id: post it on its own.
          turn.onSendActivities(async (_t, activities, next) => {
            for (const a of activities) delete a.replyToId;
            return next();
          });
          await turn.sendActivity(cardMessage(card, text));
          conversationId = turn.activity.conversation?.id ?? conversationId;
        }),
      );
      return { ok: true, conversationId };
    } catch (e) {
      const status = refused(e);
      if (status === null) return failed(where, e);
      await installs.forget(row.id, now());
      return notInstalled(
        `Teams refused the post to ${where} (HTTP ${status}): the app is no longer installed there. It can be added again from Apps in Teams.`,
      );
    }
  };

  return {
    async postToChannel(channelId, card, text) {
      const row = await installs.get(channelId);
      if (row?.removedAt) {
        return notInstalled(
          `The app was removed from the team of Teams channel ${channelId} (${row.removedAt.slice(0, 10)}), so nothing can be posted there. Add the app to that team again.`,
        );
      }
      if (row && row.kind !== "channel") return continueIn(row, card, text, `the Teams chat ${channelId}`);
      // A channel not seen yet: Teams itself says whether the app is in its team.
      const known = row ?? (await installs.anyChannel());
      if (!known) {
        return notInstalled(
          `The app is not installed in any team yet, so it can't post to Teams channel ${channelId}. Add the app to the team that has this channel.`,
        );
      }
      const ref = known.reference;
      const tenantId = ref.conversation.tenantId;
      const params = {
        isGroup: true,
        channelData: { channel: { id: channelId }, ...(tenantId ? { tenant: { id: tenantId } } : {}) },
        activity: cardMessage(card, text),
        ...(ref.agent ? { agent: ref.agent } : {}),
        ...(tenantId ? { tenantId } : {}),
      } as ConversationParameters;
      try {
        let conversationId = "";
        await within(timeoutMs, () =>
          bot.adapter.createConversationAsync(
            bot.appId,
            "msteams",
            ref.serviceUrl ?? "",
            BOT_FRAMEWORK,
            params,
            async (turn) => {
              conversationId = turn.activity.conversation?.id ?? "";
            },
          ),
        );
        return { ok: true, conversationId };
      } catch (e) {
        const status = refused(e);
        if (status === null) return failed(`Teams channel ${channelId}`, e);
        if (row) await installs.forget(channelId, now());
        return notInstalled(
          `Teams refused the post to channel ${channelId} (HTTP ${status}): the app is not installed in that channel's team. Add the app to the team.`,
        );
      }
    },

    async postInThread(conversationId, card, text) {
      const channelId = conversationId.split(";")[0]!;
      const row = await installs.get(channelId);
      if (row && row.kind !== "channel") return continueIn(row, card, text, `the Teams chat ${channelId}`);
      const known = row && !row.removedAt ? row : await installs.anyChannel();
      if (!known) {
        return notInstalled(
          `The app is not installed in any team any more, so it can't post to Teams channel ${channelId}. Add the app to the team that has this channel.`,
        );
      }
      const reference = {
        ...known.reference,
        conversation: { ...known.reference.conversation, id: conversationId },
      };
      return continueIn(
        { ...known, id: conversationId, reference },
        card,
        text,
        `a thread in Teams channel ${channelId}`,
      );
    },

    reaches: async (staff) => (await installs.personal(staff.staffId)) !== undefined,

    async postToUser(staff, card, text) {
      const row = await installs.personal(staff.staffId);
      if (!row) {
        return notInstalled(
          `${staff.name} has not added the app in Teams (or has removed it), so they can't get a personal message. They can add it from Apps in Teams, or an admin can install it for them.`,
        );
      }
      return continueIn(row, card, text, `${staff.name}'s personal chat`);
    },
  };
}
