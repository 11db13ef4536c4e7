import type { Ctx } from "../../src/app/context.ts";
import { digestPoster } from "../../src/digest/deliver.ts";
import { type Destination, type DigestPoster, PostError } from "../../src/digest/post.ts";
import type { SlackPoster } from "./post.ts";
import { clip, context, escapeMrkdwn, LIMITS, type Message } from "./render/blockkit.ts";
import { docMessages } from "./render/blockkit-digest.ts";

/**
 * The digests on Slack: the two small platform parts of the shared posting step
 * (src/digest/deliver.ts), naming a channel and sending one part. A channel gets one message (the
 * headline, the coverage table and what fits of the lists) and the rest in its thread: the
 * whiteboard picture as a file, the remaining lists, the team dashboard page by page; so the
 * channel shows one post a week however big the team. A person gets their nudge as direct
 * messages. Failures become `PostError`s that say whether trying again can help, and whether the
 * post may have arrived all the same.
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

/** Network failures where the request never reached Slack: nothing can have arrived. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

/**
 * What a Web API failure means for a digest run: Slack's own refusal (`channel_not_found`) is final
 * unless it is about Slack being busy or down; an HTTP 5xx, 429 or 408, a rate limit or a network
 * failure is worth retrying. An answer from Slack, even an error, means the post did not arrive;
 * no answer (a timeout, the connection dropped) means it may have. The message names the code and
 * what to do, never the content.
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
    const never = typeof net === "string" && NEVER_CONNECTED.has(net);
    if (!never)
      return new PostError(
        `Slack did not answer the post to ${where} (${String(net ?? "network error")}).`,
        true,
        true,
      );
    return new PostError(`Could not reach Slack to post to ${where} (${net}).`, true);
  }
  const name = e instanceof Error ? e.name : typeof e;
  return new PostError(`Posting to ${where} failed (${name}).`, true, true);
}

/** The digests on Slack, through the shared posting step. */
export function slackDigestPoster(ctx: Ctx, slack: SlackPoster): DigestPoster {
  const where = (to: Destination) =>
    to.kind === "channel" ? `Slack channel ${to.channel}` : `${to.actor.name} (direct message on Slack)`;
  return digestPoster<Message>({
    platform: "slack",
    name: "Slack",
    channelFor(scope) {
      if (scope.kind === "agency") return ctx.org.managers.channels.slack;
      return ctx.org.teams.find((t) => t.id === scope.teamId)?.channels.slack;
    },
    async addressOf(actor) {
      try {
        return await slack.dmChannel(actor);
      } catch (e) {
        throw slackPostError(e, `${actor.name} (direct message on Slack)`);
      }
    },
    layout: (doc) => docMessages(doc),
    pictureFile: true,
    thread: { place: "in the thread", unit: ["message", "messages"] },
    withLine: (m, line, tone) => ({
      text: tone === "repeat" ? clip(`${line}\n\n${m.text}`, LIMITS.fallbackText) : m.text,
      blocks: [...m.blocks, context(`${tone === "repeat" ? ":warning:" : ":thread:"} ${escapeMrkdwn(line)}`)],
    }),
    async send(to, part, { thread }) {
      const channel = to.kind === "channel" ? to.channel : to.address;
      const opts = thread === null ? {} : { threadTs: thread };
      try {
        if (part.kind === "file") {
          const { picture } = part;
          return await slack.postFile(channel, {
            filename: picture.filename,
            content: picture.png,
            title: picture.title,
            altText: picture.title,
            ...(part.note ? { comment: part.note } : {}),
            ...opts,
          });
        }
        return await slack.post(channel, part.message, opts);
      } catch (e) {
        throw slackPostError(e, where(to));
      }
    },
  });
}
