import { type Board, type StuckJudge, stuckFor } from "../commands/board.ts";
import type { Invocation } from "../commands/invocation.ts";
import { nameCell } from "../domain/names.ts";
import type { StuckItem } from "../render/view.ts";

/**
 * Stuck cases on a board, longest stuck first, each finding with its rule and days: what `/sos
 * stuck`, the digests and the nudges all list. Here, not with the command, because the digests
 * use it without going through a command.
 */
export function stuckItems(
  env: Invocation,
  board: Board,
  /** how the board's cases are judged; by default every case's rules are checked */
  judge: Pick<StuckJudge, "findings"> = { findings: (c) => stuckFor(env.ctx.org, c, env.today) },
): StuckItem[] {
  const { org, people } = env.ctx;
  const items: (StuckItem & { worst: number })[] = [];
  for (const c of board.cases) {
    const findings = judge.findings(c);
    if (findings.length === 0) continue;
    items.push({
      caseId: c.id,
      child: nameCell(c, env.today, env.names),
      worker: people.nameOf(c.workerId),
      team: org.teams.find((t) => t.id === c.teamId)?.name ?? c.teamId,
      dashboard: org.dashboards[c.service].title,
      findings: findings.map((f) => ({
        rule: f.rule,
        reason: f.reason,
        since: env.fmt(f.since),
        sinceOn: f.since,
        days: f.days,
      })),
      worst: Math.max(...findings.map((f) => f.days)),
    });
  }
  items.sort((a, b) => b.worst - a.worst || a.caseId.localeCompare(b.caseId));
  return items.map(({ worst: _, ...item }) => item);
}

/** Stuck longer than this past a rule: the case is raised to the supervisor in the digest. */
export function raisedItems(items: readonly StuckItem[], escalateAfterDays: number): StuckItem[] {
  return items.filter((i) => i.findings.some((f) => f.days >= escalateAfterDays));
}
