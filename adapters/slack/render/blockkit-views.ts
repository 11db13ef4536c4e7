import { findingLine } from "../../../src/digest/words.ts";
import { stuckMarksNote } from "../../../src/render/notes.ts";
import { caseText, stuckText } from "../../../src/render/text.ts";
import type { CaseView, StuckItem, StuckView } from "../../../src/render/view.ts";
import {
  type Block,
  clip,
  context,
  escapeMrkdwn,
  header,
  LIMITS,
  type Message,
  messageChars,
  mrkdwn,
  type SectionBlock,
  sections,
} from "./blockkit.ts";
import { caseSections } from "./blockkit-cases.ts";
import { pageButtons, STUCK_MARK } from "./blockkit-tables.ts";

/**
 * Stuck lists and single cases as Slack messages. Long stuck lists are cut into pages like the
 * dashboards; a case's history shows its latest lines and says how many earlier ones it left out.
 */

/** Page navigation for a paged message: which page, and the button value that brings back page i. */
export interface Paging {
  readonly page?: number;
  readonly pageValue?: (page: number) => string;
}

/** History lines a case message shows at most: the latest ones. */
const MAX_HISTORY = 60;

/** Characters of stuck-list text per message page, leaving room for the heading and buttons. */
const STUCK_PAGE_CHARS = 9000;

export function stuckItemText(item: StuckItem): string {
  const child = item.child === item.caseId ? "" : `  ${escapeMrkdwn(item.child)}`;
  const lines = [
    `*${escapeMrkdwn(item.caseId)}*${child}  ·  ${escapeMrkdwn(item.worker)}, ${escapeMrkdwn(item.team)}  ·  ${escapeMrkdwn(item.dashboard)}`,
  ];
  for (const f of item.findings) lines.push(`•  ${escapeMrkdwn(findingLine(f))}`);
  return lines.join("\n");
}

/** Stuck items cut into pages of at most `chars` characters of text. */
export function stuckPages(view: StuckView, chars: number = STUCK_PAGE_CHARS): StuckView[] {
  const pages: StuckView[] = [];
  let items: StuckItem[] = [];
  let used = 0;
  for (const item of view.items) {
    const n = stuckItemText(item).length + 2;
    if (items.length > 0 && used + n > chars) {
      pages.push({ ...view, items });
      items = [];
      used = 0;
    }
    items.push(item);
    used += n;
  }
  pages.push({ ...view, items });
  return pages;
}

/** The items of a stuck list as sections, several items to a section, none cut in half. */
export function stuckSections(items: readonly StuckItem[]): SectionBlock[] {
  return sections(items.map(stuckItemText).join("\n\n"));
}

export function stuckMessage(view: StuckView, opts: Paging = {}): Message {
  const pages = stuckPages(view);
  const index = Math.min(opts.page ?? 0, pages.length - 1);
  const page = pages[index]!;
  const n = view.items.length + (view.more?.count ?? 0);
  const blocks: Block[] = [header(n === 0 ? view.title : `${view.title} (${n})`)];
  if (n === 0) blocks.push({ type: "section", text: mrkdwn("No stuck cases.") });
  else blocks.push(...stuckSections(page.items));
  if (view.more && index === pages.length - 1) {
    blocks.push(context(`…and ${view.more.count} more. ${view.more.hint}`));
  }
  if (pages.length > 1) {
    blocks.push(context(`page ${index + 1} of ${pages.length}`));
    const nav = opts.pageValue
      ? pageButtons(index, pages.length, opts.pageValue, (i) => (i < index ? "Previous" : "Next"))
      : null;
    if (nav) blocks.push(nav);
  }
  return { text: clip(stuckText(page), LIMITS.fallbackText), blocks };
}

export function caseMessage(view: CaseView): Message {
  const blocks: Block[] = [
    header(view.child === view.caseId ? `Case ${view.caseId}` : `Case ${view.caseId}: ${view.child}`),
  ];
  for (let i = 0; i < view.summary.length; i += LIMITS.fields) {
    blocks.push({
      type: "section",
      fields: view.summary
        .slice(i, i + LIMITS.fields)
        .map((s) => mrkdwn(clip(`*${escapeMrkdwn(s.label)}*\n${escapeMrkdwn(s.value)}`, LIMITS.fieldText))),
    });
  }
  // Its row as fields (label over value), which read on a phone; ⚠ where a stuck rule points.
  const row = view.dashboard.groups[0]?.rows[0];
  if (row) {
    blocks.push({
      type: "section",
      text: mrkdwn(`*On the ${escapeMrkdwn(view.dashboard.title)} dashboard*`),
    });
    blocks.push(...caseSections(view.dashboard, row, false));
  }
  if (row && row.stuckAt.length > 0) blocks.push(context(stuckMarksNote(STUCK_MARK, "`/sos stuck`")));

  // The latest history that fits; older lines are counted rather than cut silently.
  const lines = view.history.map((h) => {
    const t = `*${escapeMrkdwn(h.on)}*  ${escapeMrkdwn(h.text)}`;
    return h.retracted ? `~${t}~ (undone)` : t;
  });
  let room = LIMITS.messageChars - 1000 - messageChars(blocks);
  let first = lines.length;
  while (first > 0 && lines.length - first < MAX_HISTORY && room - lines[first - 1]!.length - 1 > 0) {
    first--;
    room -= lines[first]!.length + 1;
  }
  const shown = lines.slice(first);
  const history = [`*History*${first > 0 ? ` (latest ${shown.length} of ${lines.length})` : ""}`, ...shown];
  if (shown.length === 0) history.push("Nothing recorded yet.");
  const room50 = LIMITS.messageBlocks - blocks.length - 1;
  blocks.push(...sections(history.join("\n")).slice(0, room50));
  return { text: clip(caseText(view), LIMITS.fallbackText), blocks };
}
