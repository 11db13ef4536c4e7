import { closeSync, fchmodSync, fstatSync, openSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../app/boot.ts";
import { boardViews, loadBoard, teamHolders } from "../commands/board.ts";
import { dashboardFor, OPERATOR, viewEnv } from "../commands/views.ts";
import { findTeam } from "../config/org.ts";
import { whiteboardModel } from "../digest/whiteboard.ts";
import { whiteboardHtml } from "../pictures/whiteboard-html.ts";
import { whiteboardPng } from "../pictures/whiteboard-png.ts";
import { dashboardCsv } from "../render/csv.ts";
import { oneOf, readArgs } from "./args.ts";
import { exportCase } from "./export-case.ts";
import { openFromEnv, shown } from "./setup.ts";

/**
 * Exports hold children's full names: a new file is created readable by its owner only, and a file
 * written over is made so (not a pipe or a terminal, `--out /dev/stdout`, which are not ours to change).
 */
function writePrivately(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, "w", 0o600);
  try {
    if (fstatSync(fd).isFile()) fchmodSync(fd, 0o600);
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/**
 * `sos export --format csv|html|png [--team NAME] --out FILE`: a dashboard to keep, print or share.
 * `sos export --case ID --format json|html --out FILE --as ADMIN`: everything held about one child.
 */
export async function exportFile(argv: string[]): Promise<number> {
  const { values } = readArgs("export", argv, {
    format: { type: "string" },
    team: { type: "string" },
    out: { type: "string" },
    today: { type: "string" },
    case: { type: "string" },
    as: { type: "string" },
  });
  if (values.case !== undefined) return exportCase(values);
  if (values.as !== undefined)
    throw new UsageError("--as is for a case's export (--case ID): dashboard exports are for the operator");
  const format = oneOf("--format", values.format, ["csv", "html", "png"] as const, "csv");
  if (!values.out) throw new UsageError("sos export needs --out FILE: where to write it");
  // Reading only: the file written is the export; the database is opened read-only.
  const opened = await openFromEnv({ open: { mode: "read" }, today: values.today });
  const { ctx } = opened;
  try {
    const env = viewEnv(ctx, OPERATOR, "cli", "private");
    let teamId: string | null = null;
    if (values.team !== undefined) {
      const t = findTeam(ctx.org, values.team);
      if (!t)
        throw new UsageError(
          `--team ${values.team}: no such team. Teams: ${ctx.org.teams.map((x) => x.name).join(", ")}`,
        );
      teamId = t.id;
    } else if (format !== "csv") {
      if (ctx.org.teams.length !== 1)
        throw new UsageError(`--format ${format} is one team's whiteboard: add --team NAME`);
      teamId = ctx.org.teams[0]!.id;
    }
    const out = resolve(process.cwd(), values.out);
    if (format === "csv") {
      const view = (
        await dashboardFor(env, teamId === null ? { kind: "agency" } : { kind: "team", teamId }, "overview")
      )[0]!;
      writePrivately(out, dashboardCsv(view));
      const rows = view.groups.reduce((n, g) => n + g.rows.length, 0);
      process.stdout.write(
        `Wrote ${shown(out)}: ${view.title}, ${rows} open case${rows === 1 ? "" : "s"}.\n`,
      );
      return 0;
    }
    const model = await whiteboardModel(env, teamId!);
    const team = ctx.org.teams.find((t) => t.id === teamId)!.name;
    if (format === "png") {
      const picture = whiteboardPng(model, "full");
      writePrivately(out, picture.png);
      process.stdout.write(
        `Wrote ${shown(out)}: ${team}'s whiteboard, ${picture.width} × ${picture.height} px.\n`,
      );
      return 0;
    }
    const board = await loadBoard(env, { teamIds: [teamId!] });
    const dashboards = boardViews(env, board.cases, teamHolders(env, teamId!), null);
    writePrivately(out, whiteboardHtml(model, dashboards, { agency: ctx.org.agency.name }));
    process.stdout.write(
      `Wrote ${shown(out)}: ${team}'s printable whiteboard, ${board.cases.length} open cases. Open it in a browser and print.\n`,
    );
    return 0;
  } finally {
    await opened.close();
  }
}
