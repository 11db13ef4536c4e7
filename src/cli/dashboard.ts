import { UsageError } from "../app/boot.ts";
import { dashboardFor, OPERATOR, refusal, type ViewScope, viewEnv } from "../commands/views.ts";
import { findTeam } from "../config/org.ts";
import { DASHBOARD_SLUGS } from "../domain/dashboards.ts";
import { dashboardCsv } from "../render/csv.ts";
import { dashboardJson } from "../render/json.ts";
import { dashboardText } from "../render/text.ts";
import { oneOf, readArgs } from "./args.ts";
import { notYetSynced, openFromEnv } from "./setup.ts";

/** `sos dashboard`: one dashboard for a worker, a team or the agency, as text, CSV or JSON. */
export async function dashboard(argv: string[]): Promise<number> {
  const { values } = readArgs("dashboard", argv, {
    worker: { type: "string" },
    team: { type: "string" },
    agency: { type: "boolean" },
    dashboard: { type: "string" },
    format: { type: "string" },
    as: { type: "string" },
    today: { type: "string" },
  });
  const format = oneOf("--format", values.format, ["text", "csv", "json"] as const, "text");
  // The chat's short names work here too: cp, fs, vol, all.
  const alias: Readonly<Record<string, string>> = {
    cp: "statutory-cp",
    statutory: "statutory-cp",
    fs: "family-support",
    vol: "voluntary",
    all: "overview",
  };
  const slug = oneOf(
    "--dashboard",
    values.dashboard && (alias[values.dashboard] ?? values.dashboard),
    DASHBOARD_SLUGS,
    "overview",
  );
  const scopes = [values.worker !== undefined, values.team !== undefined, values.agency === true].filter(
    Boolean,
  ).length;
  if (scopes > 1) throw new UsageError("give at most one of --worker, --team and --agency");

  // Reading only: the database is opened read-only and the staff are not synced.
  const opened = await openFromEnv({ open: { mode: "read" }, today: values.today });
  const { ctx, where } = opened;
  try {
    const actor = values.as === undefined ? OPERATOR : ctx.people.byEmail(values.as);
    if (!actor)
      throw (
        notYetSynced(ctx, "--as", values.as!, where) ??
        new UsageError(`--as ${values.as}: no staff member with that email in ${ctx.org.source}`)
      );
    let scope: ViewScope;
    if (values.worker !== undefined) {
      const w = ctx.people.byEmail(values.worker);
      if (!w)
        throw (
          notYetSynced(ctx, "--worker", values.worker, where) ??
          new UsageError(`--worker ${values.worker}: no staff member with that email in ${ctx.org.source}`)
        );
      scope = { kind: "worker", worker: w };
    } else if (values.team !== undefined) {
      const t = findTeam(ctx.org, values.team);
      if (!t)
        throw new UsageError(
          `--team ${values.team}: no such team. Teams: ${ctx.org.teams.map((x) => x.name).join(", ")}`,
        );
      scope = { kind: "team", teamId: t.id };
    } else if (values.agency || actor === OPERATOR || actor.role === "manager" || actor.role === "admin") {
      scope = { kind: "agency" };
    } else if (actor.role === "supervisor" && actor.teams.length === 1) {
      scope = { kind: "team", teamId: actor.teams[0]! };
    } else {
      scope = { kind: "worker", worker: actor };
    }
    const refused = refusal(actor, scope);
    if (refused) {
      process.stderr.write(`sos: ${refused}\n`);
      return 1;
    }
    const view = (await dashboardFor(viewEnv(ctx, actor, "cli", "private"), scope, slug))[0]!;
    const out =
      format === "json"
        ? `${JSON.stringify(dashboardJson(view), null, 2)}\n`
        : format === "csv"
          ? dashboardCsv(view)
          : `${dashboardText(view)}\n`;
    process.stdout.write(out);
    return 0;
  } finally {
    await opened.close();
  }
}
