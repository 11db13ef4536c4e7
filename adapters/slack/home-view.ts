import type { types } from "@slack/bolt";
import type { Ctx } from "../../src/app/context.ts";
import { type HomeData, homeData } from "../../src/commands/views.ts";
import type { Actor } from "../../src/domain/access.ts";
import type { DashboardView, StuckItem } from "../../src/render/view.ts";
import type { Who } from "./identity.ts";
import {
  type Block,
  button,
  clip,
  context,
  escapeMrkdwn,
  header,
  LIMITS,
  mrkdwn,
  sections,
} from "./render/blockkit.ts";
import { coverageMessage, dashboardMessage, dashboardPages } from "./render/blockkit-tables.ts";
import { stuckItemText } from "./render/blockkit-views.ts";

/**
 * The App Home, by role: a worker's own cases as the seed's table with their stuck cases and a
 * "Log an element" button; a supervisor's team grouped by worker with its stuck cases; a manager's
 * agency coverage by team. One table per view (as in messages), paged with buttons when long.
 */

export const HOME = {
  log: "sos_home_log",
  open: "sos_home_open",
  page: "sos_home_page",
} as const;

/** Characters of stuck-case text on the Home; the rest are counted, and `/sos stuck` lists them all. */
const STUCK_CHARS = 2900;

function stuckBlocks(title: string, items: readonly StuckItem[]): Block[] {
  const out: Block[] = [];
  const shown: string[] = [];
  let used = 0;
  for (const item of items) {
    const t = stuckItemText(item);
    if (used + t.length + 2 > STUCK_CHARS) break;
    shown.push(t);
    used += t.length + 2;
  }
  out.push({
    type: "section",
    text: mrkdwn(
      items.length === 0 ? `*${escapeMrkdwn(title)}*: none.` : `*${escapeMrkdwn(title)}* (${items.length})`,
    ),
  });
  if (shown.length > 0) out.push(...sections(shown.join("\n\n")));
  if (shown.length < items.length)
    out.push(context(`…and ${items.length - shown.length} more. Type \`/sos stuck\` to see them all.`));
  return out;
}

function tableBlocks(views: readonly DashboardView[], page: number): { blocks: Block[]; pages: number } {
  const pages = dashboardPages(views);
  if (pages.length === 0) return { blocks: [], pages: 0 };
  const index = Math.max(0, Math.min(page, pages.length - 1));
  const m = dashboardMessage(pages, index, { value: (p) => String(p), actionId: HOME.page });
  return { blocks: m.blocks, pages: pages.length };
}

function actions(actor: Actor): Block[] {
  const elements = [];
  if (actor.role === "worker" || actor.role === "supervisor")
    elements.push(button("Log an element", HOME.log, "log", "primary"));
  if (actor.role === "supervisor" || actor.role === "admin")
    elements.push(button("Open a case", HOME.open, "open"));
  return elements.length ? [{ type: "actions", elements }] : [];
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

/**
 * The Home's blocks for what `homeData` gathered (built on a reader thread when the server runs
 * them): only layout happens here.
 */
export function homeBlocksFor(actor: Actor, agency: string, data: HomeData, page = 0): Block[] {
  if (data.kind === "worker") {
    const open = data.views.reduce((n, v) => n + v.groups.reduce((m, g) => m + g.rows.length, 0), 0);
    return [
      header(`${actor.name}'s Cases`),
      context(`${count(open, "open case")}  ·  ${data.stuck.items.length} stuck  ·  ${data.updated}`),
      ...actions(actor),
      { type: "divider" },
      ...tableBlocks(data.views, page).blocks,
      { type: "divider" },
      ...stuckBlocks(data.stuck.title, data.stuck.items),
    ];
  }

  if (data.kind === "supervisor") {
    const names = data.teams.join(" and ");
    const open = data.views.reduce((n, v) => n + v.groups.reduce((m, g) => m + g.rows.length, 0), 0);
    return [
      header(names),
      context(
        `${escapeMrkdwn(actor.name)}, supervisor  ·  ${count(open, "open case")}  ·  ${data.stuck.length} stuck  ·  ${data.updated}`,
      ),
      ...actions(actor),
      { type: "divider" },
      ...tableBlocks(data.views, page).blocks,
      { type: "divider" },
      ...stuckBlocks(`Stuck cases in ${names}`, data.stuck),
    ];
  }

  // Managers and admins: the agency picture.
  const perTeam = data.stuckByTeam.map(([team, n]) => `${escapeMrkdwn(team)} ${n}`).join("  ·  ");
  const blocks: Block[] = [
    header(agency),
    context(`${escapeMrkdwn(actor.name)}, ${actor.role}  ·  ${data.updated}`),
    ...actions(actor),
    { type: "divider" },
  ];
  if (data.coverage) blocks.push(...coverageMessage(data.coverage).blocks);
  else blocks.push({ type: "section", text: mrkdwn(escapeMrkdwn(data.text)) });
  blocks.push(
    { type: "divider" },
    {
      type: "section",
      text: mrkdwn(
        clip(
          data.stuckTotal === 0
            ? "*Stuck cases*: none."
            : `*Stuck cases* (${data.stuckTotal}): ${perTeam}\nType \`/sos stuck <team>\` for a team's list.`,
          LIMITS.sectionText,
        ),
      ),
    },
  );
  return blocks;
}

/** What someone the bot does not know sees on the Home. */
export function refusalBlocks(refusal: string): Block[] {
  return [header("Signs of Safety dashboards"), { type: "section", text: mrkdwn(escapeMrkdwn(refusal)) }];
}

/** The Home for someone: gathered on a reader when the server runs them, here otherwise. */
export async function homeBlocks(ctx: Ctx, who: Who, page = 0): Promise<Block[]> {
  if (!("actor" in who)) return refusalBlocks(who.refusal);
  const { actor } = who;
  const data = ctx.readers ? await ctx.readers.run("home", { actor }) : await homeData(ctx, actor);
  return homeBlocksFor(actor, ctx.org.agency.name, data, page);
}

export async function homeView(ctx: Ctx, who: Who, page = 0): Promise<types.HomeView> {
  return { type: "home", blocks: await homeBlocks(ctx, who, page) };
}
