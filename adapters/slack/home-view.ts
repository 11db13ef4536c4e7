import type { types } from "@slack/bolt";
import type { Ctx } from "../../src/app/context.ts";
import { runCommand } from "../../src/commands/run.ts";
import { dashboardFor, stuckFor, viewEnv } from "../../src/commands/views.ts";
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

export async function homeBlocks(ctx: Ctx, who: Who, page = 0): Promise<Block[]> {
  if (!("actor" in who)) {
    return [
      header("Signs of Safety dashboards"),
      { type: "section", text: mrkdwn(escapeMrkdwn(who.refusal)) },
    ];
  }
  const { actor } = who;
  const env = viewEnv(ctx, actor, "slack", "private");
  const updated = `updated ${env.fmtInstant(env.now)}`;

  if (actor.role === "worker") {
    const scope = { kind: "worker", worker: actor } as const;
    const views = dashboardFor(env, scope, "overview");
    const stuck = stuckFor(env, scope, "Your stuck cases");
    const open = views.reduce((n, v) => n + v.groups.reduce((m, g) => m + g.rows.length, 0), 0);
    return [
      header(`${actor.name}'s Cases`),
      context(`${count(open, "open case")}  ·  ${stuck.items.length} stuck  ·  ${updated}`),
      ...actions(actor),
      { type: "divider" },
      ...tableBlocks(views, page).blocks,
      { type: "divider" },
      ...stuckBlocks(stuck.title, stuck.items),
    ];
  }

  if (actor.role === "supervisor") {
    const names = actor.teams.map((t) => ctx.org.teams.find((x) => x.id === t)?.name ?? t);
    const views = actor.teams.flatMap((teamId, i) =>
      dashboardFor(env, { kind: "team", teamId }, "overview").map((v) => ({
        ...v,
        title: actor.teams.length > 1 ? `${names[i]}: ${v.title}` : v.title,
      })),
    );
    const items = actor.teams.flatMap((teamId) => stuckFor(env, { kind: "team", teamId }, "").items);
    items.sort(
      (a, b) => Math.max(...b.findings.map((f) => f.days)) - Math.max(...a.findings.map((f) => f.days)),
    );
    const open = views.reduce((n, v) => n + v.groups.reduce((m, g) => m + g.rows.length, 0), 0);
    return [
      header(names.join(" and ")),
      context(
        `${escapeMrkdwn(actor.name)}, supervisor  ·  ${count(open, "open case")}  ·  ${items.length} stuck  ·  ${updated}`,
      ),
      ...actions(actor),
      { type: "divider" },
      ...tableBlocks(views, page).blocks,
      { type: "divider" },
      ...stuckBlocks(`Stuck cases in ${names.join(" and ")}`, items),
    ];
  }

  // Managers and admins: the agency picture.
  const reply = await runCommand(ctx, {
    actor,
    command: { kind: "agency" },
    surface: "slack",
    audience: "private",
  });
  const stuck = stuckFor(env, { kind: "agency" }, "");
  const byTeam = new Map<string, number>();
  for (const item of stuck.items) byTeam.set(item.team, (byTeam.get(item.team) ?? 0) + 1);
  const perTeam = [...byTeam].map(([team, n]) => `${escapeMrkdwn(team)} ${n}`).join("  ·  ");
  const blocks: Block[] = [
    header(ctx.org.agency.name),
    context(`${escapeMrkdwn(actor.name)}, ${actor.role}  ·  ${updated}`),
    ...actions(actor),
    { type: "divider" },
  ];
  if (reply.coverage) blocks.push(...coverageMessage(reply.coverage).blocks);
  else blocks.push({ type: "section", text: mrkdwn(escapeMrkdwn(reply.text)) });
  blocks.push(
    { type: "divider" },
    {
      type: "section",
      text: mrkdwn(
        clip(
          stuck.items.length === 0
            ? "*Stuck cases*: none."
            : `*Stuck cases* (${stuck.items.length}): ${perTeam}\nType \`/sos stuck <team>\` for a team's list.`,
          LIMITS.sectionText,
        ),
      ),
    },
  );
  return blocks;
}

export async function homeView(ctx: Ctx, who: Who, page = 0): Promise<types.HomeView> {
  return { type: "home", blocks: await homeBlocks(ctx, who, page) };
}
