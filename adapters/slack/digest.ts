import type { Ctx } from "../../src/app/context.ts";
import { type DigestMessage, type DigestPoster, type Picture, PostError } from "../../src/digest/post.ts";
import type { DigestView } from "../../src/digest/views.ts";
import { restNote } from "../../src/digest/words.ts";
import type { Actor } from "../../src/domain/access.ts";
import type { SlackPoster } from "./post.ts";
import { context, type Message } from "./render/blockkit.ts";
import { digestMessages } from "./render/blockkit-digest.ts";

/**
 * The digests on Slack. A channel gets one message (the headline, the coverage table and what
 * fits of the lists) and the rest in its thread: the whiteboard picture as a file, the remaining
 * lists, the team dashboard page by page; so the channel shows one post a week however big the
 * team. A person gets their nudge as direct messages. Failures become `PostError`s that say
 * whether trying again can help.
 */

/** Slack's answers that trying again will not change: someone has to fix something first. */
const PERMANENT: Readonly<Record<string, string>> = {
  not_in_channel: "the app is not in that channel: invite it there with /invite @sos",
  channel_not_found:
    "Slack knows no such channel, or it is private and the app is not in it: check the channel id in the config and invite the app",
  is_archived: "the channel is archived",
  channel_is_archived: "the channel is archived",
  user_not_found: "Slack knows no such user",
  users_not_found: "Slack knows no such user",
  account_inactive: "that Slack account is deactivated (or the app's own token is)",
  user_disabled: "that Slack account is disabled",
  cannot_dm_bot: "that Slack account is a bot",
  invalid_auth: "Slack does not accept the app's token: reinstall the app and update SLACK_BOT_TOKEN",
  not_authed: "the app sent no token: set SLACK_BOT_TOKEN",
  token_revoked: "the app's token was revoked: reinstall the app and update SLACK_BOT_TOKEN",
  token_expired: "the app's token has expired: reinstall the app and update SLACK_BOT_TOKEN",
  missing_scope: "the app lacks a permission it needs: reinstall it from manifest/slack/manifest.yml",
  restricted_action: "the workspace does not allow the app to post there",
  team_access_not_granted: "the app is not allowed in that workspace",
  ekm_access_denied: "the workspace's key management denied access",
  no_permission: "the app has no permission to do that",
};

/** Slack's answers that are about Slack itself, not the request: worth trying again later. */
const TRANSIENT = new Set([
  "ratelimited",
  "rate_limited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

interface SlackishError {
  readonly code?: unknown;
  readonly data?: { readonly error?: unknown };
  readonly statusCode?: unknown;
  readonly original?: {
    readonly code?: unknown;
    readonly name?: unknown;
    readonly cause?: { code?: unknown };
  };
}

/**
 * What a Web API failure means for a digest run: Slack's own refusal (`channel_not_found`) is final
 * unless it is about Slack being busy or down; an HTTP 5xx, 429 or 408, a rate limit or a network
 * failure is worth retrying. The message names the code and what to do, never the content.
 */
export function slackPostError(e: unknown, where: string): PostError {
  if (e instanceof PostError) return e;
  const err = (typeof e === "object" && e !== null ? e : {}) as SlackishError;
  if (err.code === "slack_webapi_platform_error" && typeof err.data?.error === "string") {
    const code = err.data.error;
    if (TRANSIENT.has(code))
      return new PostError(`Slack could not take the post to ${where} (${code}).`, true);
    const what = PERMANENT[code] ?? "Slack refused it";
    return new PostError(`Slack refused the post to ${where} (${code}): ${what}.`, false);
  }
  if (err.code === "slack_webapi_http_error" && typeof err.statusCode === "number") {
    const s = err.statusCode;
    const retryable = s >= 500 || s === 429 || s === 408;
    return new PostError(`Slack answered HTTP ${s} to the post to ${where}.`, retryable);
  }
  if (err.code === "slack_webapi_rate_limited_error")
    return new PostError(`Slack rate-limited the post to ${where}.`, true);
  if (err.code === "slack_webapi_request_error") {
    const o = err.original;
    const net = o?.cause?.code ?? o?.code ?? (o?.name === "TimeoutError" ? "timed out" : o?.name);
    return new PostError(
      `Could not reach Slack to post to ${where} (${String(net ?? "network error")}).`,
      true,
    );
  }
  const name = e instanceof Error ? e.name : typeof e;
  return new PostError(`Posting to ${where} failed (${name}).`, true);
}

/** The first message, saying what follows in its thread. */
function withThreadNote(
  first: Message,
  view: DigestView,
  more: number,
  picture: Picture | undefined,
): Message {
  const note = restNote(view, {
    more,
    picture: picture !== undefined,
    place: "in the thread",
    unit: ["message", "messages"],
  });
  return note === null ? first : { ...first, blocks: [...first.blocks, context(`:thread: ${note}`)] };
}

function incompleteNote(done: number, total: number, why: string): Message {
  const text = `This digest is incomplete: posting stopped after part ${done} of ${total} (${why}). If the digest is sent again, the complete one is a new post in the channel.`;
  return { text, blocks: [context(`:warning: *${text}*`)] };
}

export function slackDigestPoster(ctx: Ctx, slack: SlackPoster): DigestPoster {
  /** Posts the messages in order: the first in `channel`, the others in its thread (when threaded). */
  async function postAll(
    channel: string,
    message: DigestMessage,
    where: string,
    threaded: boolean,
  ): Promise<string> {
    const messages = digestMessages(message.view);
    // A quiet week is one line: the whiteboard has not changed, so its picture is left out too.
    const quiet = message.view.kind === "team" && message.view.quiet;
    const picture = quiet ? undefined : message.picture;
    const first = threaded
      ? withThreadNote(messages[0]!, message.view, messages.length - 1, picture)
      : messages[0]!;
    let ts: string;
    try {
      ts = await slack.post(channel, first);
    } catch (e) {
      throw slackPostError(e, where);
    }
    let done = 1;
    const opts = threaded ? { threadTs: ts } : {};
    try {
      if (picture) {
        await slack.postFile(channel, {
          filename: picture.filename,
          content: picture.png,
          title: picture.title,
          altText: picture.title,
          ...opts,
        });
      }
      for (const m of messages.slice(1)) {
        await slack.post(channel, m, opts);
        done++;
      }
    } catch (e) {
      const err = slackPostError(e, where);
      // So nobody takes what did arrive for the whole digest.
      await slack.post(channel, incompleteNote(done, messages.length, err.message), opts).catch(() => {});
      throw new PostError(
        `${err.message} Only ${done} of ${messages.length} messages arrived (first ts ${ts}); the last one says the digest is incomplete.`,
        err.retryable,
      );
    }
    return ts;
  }

  return {
    platform: "slack",
    channelFor(scope) {
      if (scope.kind === "agency") return ctx.org.managers.channels.slack;
      return ctx.org.teams.find((t) => t.id === scope.teamId)?.channels.slack;
    },
    toChannel(channelId, message) {
      return postAll(channelId, message, `Slack channel ${channelId}`, true);
    },
    async toPerson(actor: Actor, message) {
      const where = `${actor.name} (direct message on Slack)`;
      let channel: string | null;
      try {
        channel = await slack.dmChannel(actor);
      } catch (e) {
        throw slackPostError(e, where);
      }
      if (channel === null) return null;
      return postAll(channel, message, where, false);
    },
  };
}
