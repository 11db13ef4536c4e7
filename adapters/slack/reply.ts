import type { types } from "@slack/bolt";
import type { Reply } from "../../src/commands/reply.ts";
import type { DigestView } from "../../src/digest/views.ts";
import { previewBanner } from "../../src/digest/words.ts";
import type { SlackLog } from "./log.ts";
import {
  type Block,
  button,
  clip,
  context,
  escapeMrkdwn,
  LIMITS,
  type Message,
  sections,
} from "./render/blockkit.ts";
import { casePages, casesMessage, coverageCasesMessage } from "./render/blockkit-cases.ts";
import { digestMessages } from "./render/blockkit-digest.ts";
import { checkMessage } from "./render/blockkit-limits.ts";
import { pageButtons } from "./render/blockkit-tables.ts";
import { caseMessage, stuckMessage } from "./render/blockkit-views.ts";

/**
 * A command's Reply as a Slack message: dashboards case by case (paged), a recorded entry with its
 * Undo button, a refusal marked so it cannot be taken for a confirmation.
 */

export const UNDO_ACTION = "sos_undo";

export interface ReplyOptions {
  /** which page of a paged reply (long dashboards and stuck lists) */
  readonly page?: number;
  /** the button value that brings back page i; without it, no page buttons */
  readonly pageValue?: (page: number) => string;
  /** an Undo button under the confirmation of a recorded entry */
  readonly undoButton?: boolean;
}

export const REPEATED_NOTE =
  "This was sent twice: it was carried out once, and this is that reply again. Nothing changed this time.";

function marked(reply: Reply): string {
  const text = escapeMrkdwn(reply.text);
  if (!reply.ok) return `:warning: ${text}`;
  if (reply.logged) return `:white_check_mark: ${text}`;
  if (reply.undone) return `:leftwards_arrow_with_hook: ${text}`;
  return text;
}

function textMessage(reply: Reply, opts: ReplyOptions): Message {
  const blocks: Block[] = sections(clip(marked(reply), LIMITS.messageChars - 1000)).slice(
    0,
    LIMITS.messageBlocks - 2,
  );
  if (reply.logged && opts.undoButton) {
    blocks.push({
      type: "actions",
      block_id: `undo_${reply.logged.entryId}`,
      elements: [button("Undo", UNDO_ACTION, String(reply.logged.entryId))],
    });
  }
  return { text: clip(reply.text, LIMITS.fallbackText), blocks };
}

/**
 * A digest preview: one of the digest's messages at a time, exactly as it would be posted, under a
 * line saying it is a preview, with buttons to the other parts.
 */
export function digestPreviewMessage(view: DigestView, opts: ReplyOptions = {}): Message {
  const messages = digestMessages(view);
  const index = Math.max(0, Math.min(opts.page ?? 0, messages.length - 1));
  const m = messages[index]!;
  const banner = previewBanner(view);
  const part = messages.length > 1 ? `  ·  part ${index + 1} of ${messages.length}` : "";
  const blocks: Block[] = [context(`:eyes: *${banner}*${part}`), ...m.blocks];
  const nav = opts.pageValue
    ? pageButtons(index, messages.length, opts.pageValue, (i) => `Part ${i + 1}`)
    : null;
  if (nav) blocks.push(nav);
  return { text: clip(`${banner}\n\n${m.text}`, LIMITS.fallbackText), blocks };
}

export function replyMessage(reply: Reply, opts: ReplyOptions = {}): Message {
  let m: Message;
  if (reply.digest) m = digestPreviewMessage(reply.digest, opts);
  else if (reply.dashboards && reply.dashboards.length > 0) {
    // A message may be read on a phone: each case as a section of fields, not the wide table
    // (which the App Home keeps). The reply's own first line counts every dashboard; each page says
    // what it holds instead.
    const pages = casePages(reply.dashboards);
    const index = Math.max(0, Math.min(opts.page ?? 0, pages.length - 1));
    m = casesMessage(pages, index, opts.pageValue ? { value: opts.pageValue } : undefined);
  } else if (reply.coverage) m = coverageCasesMessage(reply.coverage);
  else if (reply.stuck) m = stuckMessage(reply.stuck, opts);
  else if (reply.caseView) m = caseMessage(reply.caseView);
  else m = textMessage(reply, opts);
  if (reply.repeated) m.blocks.push(context(REPEATED_NOTE));
  return m;
}

/**
 * What goes to Slack: the message when it keeps to Slack's limits, else its text alone (logged), so a
 * rendering slip shows as plain text rather than as Slack refusing the message and the worker seeing
 * nothing. The blocks are typed against @slack/types here, which checks the renderer's own types.
 */
export function outgoing(m: Message, log: SlackLog): { text: string; blocks: types.KnownBlock[] } {
  // Slack reads `text` as mrkdwn too: typed text must not turn into a mention or a link.
  const text = clip(escapeMrkdwn(m.text), LIMITS.fallbackText).replace(/&[a-z]{0,3}…$/, "…");
  const problems = checkMessage(m);
  if (problems.length === 0) return { text, blocks: m.blocks };
  log(`a message broke Slack's limits (${problems[0]}); sent as text instead`);
  return { text, blocks: sections(clip(text, LIMITS.messageChars - 1000)) };
}
