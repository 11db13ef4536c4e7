import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../app/boot.ts";
import { resolveConfigPath } from "../app/paths.ts";
import { loadOrg } from "../config/load.ts";
import { type ImportKind, runImport } from "../import/run.ts";
import { template } from "../import/template.ts";
import { readArgs } from "./args.ts";
import { notYetSynced, openFromEnv } from "./setup.ts";

const KINDS: readonly ImportKind[] = ["cases", "practice"];

/**
 * `sos import cases|practice FILE.csv --as ADMIN [--dry-run] [--update]`, and `--template`. The
 * import itself is `src/import`; this reads the arguments, opens the database (read-only for a dry
 * run), checks that --as is an admin, and shows progress on a terminal. The SQLite file or
 * PostgreSQL alike: the import writes through `Records`.
 */
export async function importFile(argv: string[]): Promise<number> {
  const { values, positionals } = readArgs(
    "import",
    argv,
    {
      as: { type: "string" },
      "dry-run": { type: "boolean" },
      update: { type: "boolean" },
      template: { type: "boolean" },
      today: { type: "string" },
    },
    true,
  );
  const [kindWord, file, ...extra] = positionals;
  const kind = KINDS.find((k) => k === kindWord);
  if (kind === undefined)
    throw new UsageError(
      `${kindWord === undefined ? "say what to import" : `"${kindWord}" is not something to import`}: \`sos import cases FILE.csv\` or \`sos import practice FILE.csv\`. See \`sos import --help\`.`,
    );
  if (values.template) {
    if (file !== undefined)
      throw new UsageError("--template prints the columns and an example row; it takes no file.");
    process.stdout.write(template(kind, loadOrg(resolveConfigPath(process.env, process.cwd()))));
    return 0;
  }
  if (file === undefined)
    throw new UsageError(
      `sos import ${kind} needs the file: \`sos import ${kind} FILE.csv --as ADMIN_EMAIL\`.`,
    );
  if (extra.length > 0)
    throw new UsageError(`one file at a time: "${extra.join(" ")}" is not part of sos import ${kind}.`);
  if (values.update && kind === "practice")
    throw new UsageError(
      "--update is for a case list: practice entries are never changed, only added (a wrong one is undone with /sos undo #<entry>).",
    );
  if (!values.as)
    throw new UsageError(
      `sos import needs --as <email>: the admin doing the import. See \`sos import --help\`.`,
    );
  const path = resolve(process.cwd(), file);
  if (!existsSync(path)) throw new UsageError(`${file}: there is no such file.`);

  const dryRun = values["dry-run"] === true;
  // A dry run opens the database read-only: it can't write even by mistake.
  const opened = await openFromEnv({ open: { mode: dryRun ? "read" : "records" }, today: values.today });
  const { ctx } = opened;
  try {
    const admin = ctx.people.byEmail(values.as);
    if (!admin) {
      const unsynced = notYetSynced(ctx, "--as", values.as, opened.where);
      if (unsynced) throw unsynced;
      throw new UsageError(`--as ${values.as}: no staff member with that email in ${ctx.org.source}.`);
    }
    if (admin.role !== "admin")
      throw new UsageError(
        `--as ${values.as}: only an admin can import, and ${admin.name} is a ${admin.role}.`,
      );
    const tty = process.stderr.isTTY === true;
    const outcome = await runImport(ctx, admin, await ctx.records.reads.staff(), {
      kind,
      path,
      dryRun,
      update: values.update === true,
      ...(tty ? { progress: (line: string) => process.stderr.write(`\r\x1b[K${line}`) } : {}),
    });
    if (tty) process.stderr.write("\r\x1b[K");
    process.stdout.write(`${outcome.text}\n`);
    return outcome.ok ? 0 : 1;
  } finally {
    await opened.close();
  }
}
