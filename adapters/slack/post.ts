import { type types, webApi } from "@slack/bolt";
import type { Ctx } from "../../src/app/context.ts";
import { findStaffByEmail } from "../../src/config/org.ts";
import type { Actor } from "../../src/domain/access.ts";
import type { DashboardView } from "../../src/render/view.ts";
import { boltLogger, reason, type SlackLog } from "./log.ts";
import type { Message } from "./render/blockkit.ts";
import { dashboardMessage, dashboardPages } from "./render/blockkit-tables.ts";
import { outgoing } from "./reply.ts";

type Outgoing = { text: string; blocks: types.KnownBlock[] };

/**
 * Posting outside a request, for the digests and nudges: a message to a channel, a dashboard as one
 * message per page (Slack takes one table per message), a direct message to a person, a file.
 * Every call throws when Slack refuses, so a digest run can record the failure and try again.
 * What is posted to a channel must be built for `audience: "channel"` (the config's name rule):
 * the poster sends what it is given. Posts and uploads are sent once: the Web client's own retries
 * re-sent a message Slack had already taken when its answer came after the timeout, so only the
 * digest ledger decides what is sent again.
 */
export interface SlackPoster {
  /** posts to a channel id (C…), or into a thread of it; returns the message's ts */
  post(channel: string, message: Message, opts?: { threadTs?: string }): Promise<string>;
  /** one message per page, in order; returns their ts */
  postDashboards(channel: string, views: readonly DashboardView[], intro?: string): Promise<string[]>;
  /** a direct message to a Slack user id (U…) */
  dm(userId: string, message: Message): Promise<string>;
  /** a direct message to a staff member: their Slack id from the config, else found by email; null when not on Slack */
  dmStaff(actor: Actor, message: Message): Promise<string | null>;
  /** the direct-message channel (D…) with a staff member; null when they are not on Slack */
  dmChannel(actor: Actor): Promise<string | null>;
  /** a file (CSV, PNG) into a channel (or a thread of it), with a comment; returns the file's id */
  postFile(channel: string, file: SlackFile): Promise<string>;
}

export interface SlackFile {
  readonly filename: string;
  readonly content: Buffer | string;
  readonly title?: string;
  /** what a picture shows, for screen readers */
  readonly altText?: string;
  /** the message posted with the file */
  readonly comment?: string;
  readonly threadTs?: string;
}

/**
 * files.uploadV2: files.getUploadURLExternal, the upload itself, files.completeUploadExternal.
 * Returns the file's id.
 */
export async function uploadFile(
  client: webApi.WebClient,
  channel: string,
  file: SlackFile,
): Promise<string> {
  const content = typeof file.content === "string" ? Buffer.from(file.content, "utf8") : file.content;
  const where = file.threadTs ? { channel_id: channel, thread_ts: file.threadTs } : { channel_id: channel };
  const r = await client.filesUploadV2({
    ...where,
    file: content,
    filename: file.filename,
    ...(file.title ? { title: file.title } : {}),
    ...(file.altText ? { alt_text: file.altText } : {}),
    ...(file.comment ? { initial_comment: file.comment } : {}),
  });
  const done = r.files[0] as { files?: { id?: string }[] } | undefined;
  return done?.files?.[0]?.id ?? "uploaded";
}

export async function openDm(client: webApi.WebClient, userId: string): Promise<string> {
  const im = await client.conversations.open({ users: userId });
  const id = im.channel?.id;
  if (!id) throw new Error("conversations.open gave no channel");
  return id;
}

async function send(
  client: webApi.WebClient,
  channel: string,
  m: Outgoing,
  threadTs?: string,
): Promise<string> {
  const r = await client.chat.postMessage({
    channel,
    text: m.text,
    blocks: m.blocks,
    unfurl_links: false,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return r.ts ?? "";
}

/**
 * A reply to a person after a form: where they typed /sos when the form came from there (the
 * command's response_url), else as a direct message. Failures are logged: the record is already
 * safe, and the worker sees it on App Home.
 */
export async function deliver(
  client: webApi.WebClient,
  userId: string,
  m: Outgoing,
  log: SlackLog,
  responseUrl?: string,
): Promise<void> {
  if (responseUrl) {
    try {
      const r = await fetch(responseUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ response_type: "ephemeral", replace_original: false, ...m }),
        signal: AbortSignal.timeout(5000),
      });
      if (r.ok) return;
      log(`response_url answered ${r.status}; sending the reply as a direct message instead`);
    } catch (e) {
      log(`response_url failed (${reason(e)}); sending the reply as a direct message instead`);
    }
  }
  try {
    await send(client, await openDm(client, userId), m);
  } catch (e) {
    log(`could not send a direct message to ${userId} (${reason(e)})`);
  }
}

/** How long a post waits for Slack's answer before it counts as unconfirmed. */
export const POST_TIMEOUT_MS = 10_000;

export interface PosterOptions {
  /** how long a post or upload waits for Slack's answer (default `POST_TIMEOUT_MS`); tests shorten it */
  readonly timeoutMs?: number;
}

export function createPoster(
  ctx: Ctx,
  client: webApi.WebClient,
  log: SlackLog,
  opts: PosterOptions = {},
): SlackPoster {
  const byEmail = new Map<string, string | null>();
  // Posts and uploads go through a client that never re-sends on its own: its retries (on a
  // timeout, after Slack had already taken the message) posted a digest message twice. A rate
  // limit is an answer (nothing was posted): it comes back at once for the ledger to retry.
  const sender = new webApi.WebClient(client.token, {
    slackApiUrl: client.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? POST_TIMEOUT_MS,
    logger: boltLogger(log, true),
  });

  async function slackIdOf(actor: Actor): Promise<string | null> {
    const configured = findStaffByEmail(ctx.org, actor.email)?.slackId;
    if (configured) return configured;
    if (byEmail.has(actor.email)) return byEmail.get(actor.email) ?? null;
    try {
      const r = await client.users.lookupByEmail({ email: actor.email });
      const id = r.user?.id ?? null;
      byEmail.set(actor.email, id);
      return id;
    } catch (e) {
      const code = reason(e);
      if (code.startsWith("users_not_found")) {
        byEmail.set(actor.email, null);
        return null;
      }
      throw e;
    }
  }

  const poster: SlackPoster = {
    post: (channel, message, opts) => send(sender, channel, outgoing(message, log), opts?.threadTs),
    async postDashboards(channel, views, intro) {
      const pages = dashboardPages(views);
      const out: string[] = [];
      for (let i = 0; i < pages.length; i++)
        out.push(await send(sender, channel, outgoing(dashboardMessage(pages, i, undefined, intro), log)));
      return out;
    },
    async dm(userId, message) {
      return send(sender, await openDm(client, userId), outgoing(message, log));
    },
    async dmStaff(actor, message) {
      const id = await slackIdOf(actor);
      return id === null ? null : poster.dm(id, message);
    },
    async dmChannel(actor) {
      const id = await slackIdOf(actor);
      return id === null ? null : openDm(client, id);
    },
    postFile: (channel, file) => uploadFile(sender, channel, file),
  };
  return poster;
}
