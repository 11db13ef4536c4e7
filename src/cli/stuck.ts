import { UsageError } from "../app/boot.ts";
import { OPERATOR, stuckFor, viewEnv } from "../commands/views.ts";
import { findTeam } from "../config/org.ts";
import { stuckText } from "../render/text.ts";
import type { StuckView } from "../render/view.ts";
import { oneOf, readArgs } from "./args.ts";
import { openFromEnv } from "./setup.ts";

/** `sos stuck`: stuck cases agency-wide or in one team, with rule and days stuck. */
export async function stuck(argv: string[]): Promise<number> {
  const { values } = readArgs("stuck", argv, {
    team: { type: "string" },
    format: { type: "string" },
    today: { type: "string" },
  });
  const format = oneOf("--format", values.format, ["text", "json"] as const, "text");
  // Reading only: the database is opened read-only and the staff are not synced.
  const opened = await openFromEnv({ open: { mode: "read" }, today: values.today });
  const { ctx } = opened;
  try {
    const env = viewEnv(ctx, OPERATOR, "cli", "private");
    let view: StuckView;
    if (values.team !== undefined) {
      const t = findTeam(ctx.org, values.team);
      if (!t)
        throw new UsageError(
          `--team ${values.team}: no such team. Teams: ${ctx.org.teams.map((x) => x.name).join(", ")}`,
        );
      view = await stuckFor(env, { kind: "team", teamId: t.id }, `Stuck cases in ${t.name}`);
    } else {
      view = await stuckFor(env, { kind: "agency" }, `Stuck cases in ${ctx.org.agency.name}`);
    }
    process.stdout.write(format === "json" ? `${JSON.stringify(view, null, 2)}\n` : `${stuckText(view)}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}
