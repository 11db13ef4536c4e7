import type { StuckItem } from "../render/view.ts";
import type { DigestView } from "./views.ts";

/**
 * The sentences a digest says, each written once: the text renderer, Block Kit and Adaptive Cards
 * all take them from here and only decide how they look.
 */

export const LATE_LINE = "Posted late: the app was not running at the scheduled time.";

type Finding = StuckItem["findings"][number];

/** "stuck 30 days (since 31/01/16)", or "stuck since today". */
export function stuckSince(f: Pick<Finding, "days" | "since">): string {
  if (f.days === 0) return "stuck since today";
  return `stuck ${f.days} day${f.days === 1 ? "" : "s"} (since ${f.since})`;
}

/** One rule a case breaks, as every list of stuck cases writes it. */
export function findingLine(f: Finding): string {
  return `${f.reason}: ${stuckSince(f)}`;
}

export function quietLine(headline: string): string {
  return `Nothing changed this week: no practice logged, no new and no closed cases. ${headline}.`;
}

/** What a preview says first: that nothing was posted, and whose eyes the names are for. */
export function previewBanner(view: DigestView): string {
  if (view.kind === "nudge") return "Preview of the reminder you would get today: nothing was sent.";
  if (view.kind === "team") return "Preview: nothing was posted. Names as the team's channel will see them.";
  return "Preview: nothing was posted.";
}

/** What follows the first message of a digest, in words. */
export function whatFollows(view: DigestView): string {
  if (view.kind === "team") return "the rest of the lists and the team dashboard";
  if (view.kind === "agency") return "the rest of the tables";
  return "the rest of your stuck cases";
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The line on a digest's first message saying what is in its thread: "The rest of this digest is in
 * the thread: the whiteboard picture and 3 more messages (…)." Null when nothing follows.
 */
export function restNote(
  view: DigestView,
  opts: {
    readonly more: number;
    readonly picture: boolean;
    /** "in the thread", "in the replies below" */
    readonly place: string;
    readonly unit: readonly [one: string, many: string];
  },
): string | null {
  if (opts.more === 0 && !opts.picture) return null;
  const parts = [
    ...(opts.picture ? ["the whiteboard picture"] : []),
    ...(opts.more > 0
      ? [`${plural(opts.more, `more ${opts.unit[0]}`, `more ${opts.unit[1]}`)} (${whatFollows(view)})`]
      : []),
  ];
  return `The rest of this digest is ${opts.place}: ${parts.join(" and ")}.`;
}

/**
 * Said on a part sent a second time because the first time's fate is unknown (it timed out, or the
 * app stopped between sending and recording it): the reader may see it twice.
 */
export function mayRepeatLine(opts: {
  readonly what: "message" | "picture";
  readonly platform: "Slack" | "Teams";
  /** when the first one was sent, as the agency reads the time: "08:00", or "29/02/16 08:00" */
  readonly sentAt: string;
}): string {
  return `This ${opts.what} may repeat one sent at ${opts.sentAt} that ${opts.platform} did not confirm.`;
}

/**
 * People who left the config but still hold open cases of the team: the supervisor is asked to
 * reallocate them. Names staff, never children.
 */
export function leaversLine(
  holders: readonly { readonly name: string; readonly cases: number }[],
): string | null {
  const total = holders.reduce((n, h) => n + h.cases, 0);
  if (total === 0) return null;
  const who = holders.map((h) => `${h.name} (${h.cases})`).join(", ");
  return total === 1
    ? `1 open case is allocated to someone no longer in the config: reallocate it. ${who}.`
    : `${total} open cases are allocated to people no longer in the config: reallocate them. ${who}.`;
}
