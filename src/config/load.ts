import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import { type Document, parseDocument } from "yaml";
import type { z } from "zod";
import {
  DASHBOARD_SLUGS,
  DASHBOARDS,
  type DashboardDef,
  type DashboardSlug,
  elementColumns,
  SERVICE_SLUGS,
  type ServiceSlug,
} from "../domain/dashboards.ts";
import { defaultDatePattern } from "../domain/dates.ts";
import { builtInWords, type ElementKey, normalWord } from "../domain/elements.ts";
import { CHILD_AGE } from "../domain/names.ts";
import { DEFAULT_STUCK_DAYS, STUCK_RULES, type StuckThresholds } from "../domain/stuck.ts";
import { closest } from "../util/suggest.ts";
import { adaptDashboard } from "./adapt.ts";
import {
  DEFAULT_BACKUP,
  DEFAULT_DIGEST,
  DEFAULT_OUTCOMES,
  type Org,
  type StaffConfig,
  type TeamConfig,
} from "./org.ts";
import { type ConfigFile, configSchema, type StaffInput } from "./schema.ts";
import { type RowProblem, readStaffFile, type StaffFileRow } from "./staff-file.ts";

/** A config that cannot run: every problem, each as `key.path: what is wrong`, and the file. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${file} has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

export function loadOrg(file: string): Org {
  if (!existsSync(file)) throw new ConfigError(file, ["file not found"]);
  return parseOrg(readFileSync(file, "utf8"), file);
}

/** A config file read and parsed once: the staff file it names, and the org it makes when asked. */
export interface ConfigRead {
  /**
   * The staff file the config names, read leniently (the rest of the config may be broken): the
   * running app watches it even while the config it names cannot be used yet. null when none is named.
   */
  readonly staffFile: string | null;
  /** the file's bytes as read (null: it could not be read), for telling an edit from the same file */
  readonly bytes: Buffer | null;
  /** the org, as `loadOrg` makes it, from the same parse (throws as `loadOrg` does) */
  org(): Org;
}

/**
 * Reads the config once for a reload: the staff file it names and the org come from one parse of
 * the YAML (a large agency's file took 0.5-0.7 s to parse under load, and was parsed twice).
 */
export function readConfig(configPath: string): ConfigRead {
  let bytes: Buffer;
  try {
    bytes = readFileSync(configPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      staffFile: null,
      bytes: null,
      org() {
        if (code === "ENOENT") throw new ConfigError(configPath, ["file not found"]);
        throw e;
      },
    };
  }
  const doc = parseDocument(bytes.toString("utf8"), { prettyErrors: true });
  let staffFile: string | null = null;
  try {
    const named: unknown = doc.get("staffFile");
    if (typeof named === "string" && named.trim() !== "")
      staffFile = resolvePath(dirname(configPath), named.trim());
  } catch {
    // A document too broken to look into names no staff file; org() says what is wrong with it.
  }
  return { staffFile, bytes, org: () => orgOfDocument(doc, configPath) };
}

/**
 * YAML aliases (`*name`) may each stand for a whole list: nested a few deep they make a small file
 * expand into billions of values. The yaml package refuses past this many and throws; we say why.
 */
const MAX_ALIASES = 100;

export function parseOrg(text: string, source: string): Org {
  return orgOfDocument(parseDocument(text, { prettyErrors: true }), source);
}

function orgOfDocument(doc: Document.Parsed, source: string): Org {
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${pos ? `line ${pos.line}, column ${pos.col}: ` : ""}${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`;
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    // The yaml package throws ReferenceError for an alias bomb and for an alias with no anchor.
    if (!(e instanceof ReferenceError)) throw e;
    throw new ConfigError(source, [
      e.message.startsWith("Excessive alias count")
        ? `it uses YAML aliases (*name) so often that reading it would take unbounded memory (more than ${MAX_ALIASES} uses of one anchor); write the values out instead`
        : `${e.message.replace(" (the anchor must be set before the alias)", "")}: an alias (*name) needs an anchor (&name) earlier in the file`,
    ]);
  }
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues.map(describeIssue));
  const file = readStaffFileOf(parsed.data, source);
  const { org, problems } = resolve(parsed.data, source, file);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return org;
}

function pathText(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
  return out || "(top level)";
}

/** Zod's English is written for developers; an agency admin gets the key, what it must be, and what it was. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const at = pathText(issue.path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(issue.path);
      return issue.keys
        .map((k) => {
          const hint = closest(k, known, 1)[0];
          return `${at === "(top level)" ? "" : `${at}: `}unknown key "${k}"${hint ? ` (did you mean "${hint}"?)` : ""}`;
        })
        .join("; ");
    }
    case "invalid_value":
      return `${at}: must be one of ${issue.values.map(String).join(", ")}`;
    case "invalid_type":
      return issue.input === undefined ? `${at}: is required` : `${at}: must be ${article(issue.expected)}`;
    case "too_small":
      return issue.origin === "array"
        ? `${at}: needs at least ${issue.minimum} entr${issue.minimum === 1 ? "y" : "ies"}`
        : `${at}: ${issue.message}`;
    case "invalid_union":
      return `${at}: ${unionHint(issue.path)}`;
    default:
      return `${at}: ${issue.message}`;
  }
}

function article(expected: string): string {
  if (expected === "array") return "a list";
  if (expected === "object") return "a mapping of keys to values";
  return `a ${expected}`;
}

function unionHint(path: readonly PropertyKey[]): string {
  const last = path[path.length - 1];
  if (last === "team") return "must be a team name, or a list of team names";
  if (typeof last === "string" && (STUCK_RULES as readonly string[]).includes(last))
    return "must be a number of days, or off";
  return "has a value of the wrong kind";
}

function knownKeys(path: readonly PropertyKey[]): string[] {
  const top = path[0];
  if (path.length === 0) return Object.keys(configSchema.shape);
  if (top === "staff") return ["email", "name", "role", "team", "slackId", "teamsId", "away"];
  if (top === "teams") return ["id", "name", "channels", "digest"];
  if (top === "agency") return ["id", "name", "timeZone"];
  if (top === "dashboards") return ["title", "relabel", "drop", "add", "style", "element", "label", "after"];
  if (top === "stuck") return [...STUCK_RULES, "dashboards", "escalateAfterDays"];
  if (top === "backup") return ["dir", "keep", "schedule"];
  if (top === "retention") return ["afterClosing", "afterBirthday", "years", "months"];
  return [];
}

/**
 * A label people would type to record one element must not already mean another: an agency that
 * relabels its adult plan "Safety Plan" would otherwise have `/sos safety plan 12345` land on
 * whichever element owns that word first.
 */
function labelClashes(dashboards: Readonly<Record<DashboardSlug, DashboardDef>>): string[] {
  const words = builtInWords();
  const owner = new Map<string, { element: ElementKey; where: string }>();
  const problems: string[] = [];
  for (const slug of DASHBOARD_SLUGS) {
    for (const col of elementColumns(dashboards[slug])) {
      const word = normalWord(col.label);
      const builtIn = words.get(word);
      const earlier = owner.get(word);
      if (builtIn && builtIn !== col.id) {
        problems.push(
          `dashboards.${slug}: the label "${col.label}" for ${col.id} is already a word for ${builtIn}; people typing it would record ${builtIn}. Choose another label`,
        );
      } else if (earlier && earlier.element !== col.id) {
        problems.push(
          `dashboards.${slug}: the label "${col.label}" for ${col.id} is the ${earlier.where} label for ${earlier.element}; one word cannot mean two elements`,
        );
      } else owner.set(word, { element: col.id, where: slug });
    }
  }
  return problems;
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** The staff file the config names, read relative to the config: its path, good rows and problems. */
interface StaffFileRead {
  readonly path: string;
  readonly rows: readonly StaffFileRow[];
  readonly problems: readonly RowProblem[];
}

/**
 * Far beyond any agency's staff (200,000 rows of a hundred bytes): a config pointing at the wrong
 * file, a case export say, is refused before it is read into memory by the running server.
 */
export const MAX_STAFF_FILE_BYTES = 20 * 1024 * 1024;

function readStaffFileOf(cfg: ConfigFile, source: string): StaffFileRead | null {
  if (cfg.staffFile === undefined) return null;
  const path = resolvePath(dirname(source), cfg.staffFile);
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > MAX_STAFF_FILE_BYTES)
      return {
        path,
        rows: [],
        problems: [
          {
            row: 0,
            text: `staffFile: ${cfg.staffFile} is ${(size / 1024 / 1024).toFixed(1)} MB, more than a staff file's ${MAX_STAFF_FILE_BYTES / 1024 / 1024} MB; is it the right file?`,
          },
        ],
      };
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      path,
      rows: [],
      problems: [
        {
          row: 0,
          text:
            code === "ENOENT"
              ? `staffFile: there is no file ${cfg.staffFile} (looked for ${path})`
              : `staffFile: ${cfg.staffFile} can't be read (${code ?? "error"}); check its permissions`,
        },
      ],
    };
  }
  return { path, ...readStaffFile(bytes, cfg.staffFile) };
}

function resolve(
  cfg: ConfigFile,
  source: string,
  file: StaffFileRead | null,
): { org: Org; problems: string[] } {
  const problems: string[] = [];
  const { quietWeeks, ...agencySchedule } = cfg.digest ?? {};
  const agencyDigest = { ...DEFAULT_DIGEST, ...agencySchedule };

  // Derived the same way as team ids, so an agency that never writes one still gets a stable id.
  const agencyId = cfg.agency.id ?? slugify(cfg.agency.name);
  if (agencyId === "")
    problems.push(
      `agency.id: the name "${cfg.agency.name}" gives no id of letters and digits; add agency.id (like my-agency)`,
    );

  const { teams, problems: teamProblems } = resolveTeams(cfg, agencyDigest);
  problems.push(...teamProblems);
  const entries: StaffEntry[] = [
    ...(cfg.staff ?? []).map((s, i) => ({ where: `staff[${i}]`, row: 0, inConfig: true, staff: s })),
    ...(file?.rows ?? []).map((r) => ({ where: r.where, row: r.row, inConfig: false, staff: r.staff })),
  ];
  if (cfg.staff === undefined && file === null)
    problems.push("staff: is required (or staffFile: naming a CSV of the staff)");
  else if (entries.length === 0 && file !== null && file.problems.length === 0)
    problems.push(`staffFile: ${cfg.staffFile} has no staff rows, and the config lists no staff`);
  const resolved = resolveStaff(entries, teams, cfg.staffFile);
  const { staff } = resolved;
  // The config's first, then the file's in row order, as an admin goes down the spreadsheet.
  const staffProblems = [...resolved.problems, ...(file?.problems ?? [])];
  problems.push(...staffProblems.sort((a, b) => a.row - b.row).map((p) => p.text));

  const dashboards = {} as Record<DashboardSlug, DashboardDef>;
  for (const slug of DASHBOARD_SLUGS) {
    const { def, problems: p } = adaptDashboard(
      DASHBOARDS[slug],
      cfg.dashboards?.[slug],
      `dashboards.${slug}`,
    );
    dashboards[slug] = def;
    problems.push(...p);
  }
  problems.push(...labelClashes(dashboards));

  const stuck = {} as Record<ServiceSlug, StuckThresholds>;
  for (const slug of SERVICE_SLUGS) {
    const t: StuckThresholds = {};
    for (const rule of STUCK_RULES) {
      const v = cfg.stuck?.dashboards?.[slug]?.[rule] ?? cfg.stuck?.[rule] ?? DEFAULT_STUCK_DAYS[rule];
      if (typeof v === "number") t[rule] = v;
    }
    stuck[slug] = t;
  }

  const order = cfg.dates?.order ?? "dmy";
  const org: Org = {
    source,
    staffFile: file?.path ?? null,
    agency: { id: agencyId, name: cfg.agency.name, timeZone: cfg.agency.timeZone },
    dates: { order, format: cfg.dates?.format ?? defaultDatePattern(order) },
    channelNames: cfg.channelNames ?? "initials",
    adultAge: cfg.adultAge ?? CHILD_AGE.adult,
    outcomes: cfg.outcomes ?? DEFAULT_OUTCOMES,
    teams,
    staff,
    dashboards,
    stuck,
    escalateAfterDays: cfg.stuck?.escalateAfterDays ?? 14,
    managers: { channels: cfg.managers?.channels ?? {} },
    digest: agencyDigest,
    quietWeeks: quietWeeks ?? "one-line",
    holidays: cfg.holidays ?? [],
    warnings: gaps(teams, staff),
    backup: cfg.backup
      ? {
          dir: resolvePath(dirname(resolvePath(source)), cfg.backup.dir),
          keep: cfg.backup.keep ?? DEFAULT_BACKUP.keep,
          schedule:
            cfg.backup.schedule === "off" || cfg.backup.schedule === false
              ? null
              : (cfg.backup.schedule ?? DEFAULT_BACKUP.schedule),
        }
      : null,
    retention: cfg.retention
      ? {
          ...(cfg.retention.afterClosing
            ? {
                afterClosing: {
                  years: cfg.retention.afterClosing.years ?? 0,
                  months: cfg.retention.afterClosing.months ?? 0,
                },
              }
            : {}),
          ...(cfg.retention.afterBirthday !== undefined
            ? { afterBirthday: cfg.retention.afterBirthday }
            : {}),
        }
      : null,
  };
  return { org, problems };
}

/**
 * Teams with their ids, each findable by id or name (letter case aside) through one map: two teams
 * whose names differ only in case would make `/sos team north team` mean whichever came first.
 */
function resolveTeams(
  cfg: ConfigFile,
  agencyDigest: TeamConfig["digest"],
): { teams: TeamConfig[]; problems: string[] } {
  const problems: string[] = [];
  const teams: TeamConfig[] = [];
  const ids = new Map<string, number>();
  const names = new Map<string, number>();
  for (const [i, t] of cfg.teams.entries()) {
    const id = t.id ?? slugify(t.name);
    const name = t.name.trim().toLowerCase();
    if (ids.has(id)) problems.push(`teams[${i}]: a second team with id "${id}"`);
    else ids.set(id, i);
    const sameName = names.get(name);
    if (sameName !== undefined) {
      const other = cfg.teams[sameName]!.name;
      problems.push(
        `teams[${i}].name: "${t.name}" is already the name of teams[${sameName}]${other === t.name ? "" : ` ("${other}": names are matched whatever their letter case)`}; each team needs its own name`,
      );
    } else names.set(name, i);
    teams.push({ id, name: t.name, channels: t.channels ?? {}, digest: { ...agencyDigest, ...t.digest } });
  }
  return { teams, problems };
}

/** A person to check: from the config's `staff:` (`staff[3]`) or a staff file row (`staff.csv row 7`). */
interface StaffEntry {
  readonly where: string;
  /** the file's row as a spreadsheet numbers it; 0 for the config's entries */
  readonly row: number;
  readonly inConfig: boolean;
  readonly staff: StaffInput;
}

/**
 * Staff, checked against each other through maps (one pass: the agency with 10,500 staff took 2.3 s
 * when every person was compared with everyone before them). Slack and Teams ids are compared
 * without regard to letter case, as they are matched: two people whose ids differ only in case
 * would let one be taken for the other (a worker resolved as the supervisor). A person in both the
 * config and the staff file is refused rather than one silently winning: the next HR export would
 * otherwise change them back, or not, depending on which place an admin last edited.
 */
function resolveStaff(
  entries: readonly StaffEntry[],
  teams: readonly TeamConfig[],
  staffFile: string | undefined,
): { staff: StaffConfig[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const teamByWord = new Map<string, TeamConfig>();
  // Names after ids, so an id is never shadowed by another team's name.
  for (const t of teams)
    if (!teamByWord.has(t.name.trim().toLowerCase())) teamByWord.set(t.name.trim().toLowerCase(), t);
  for (const t of teams) teamByWord.set(t.id, t);
  const seen = {
    email: new Map<string, number>(),
    slackId: new Map<string, number>(),
    teamsId: new Map<string, number>(),
  };
  // `staff[3].team` in the config, `staff.csv row 7, team` in the file (named by its column).
  const named = (e: StaffEntry, key: string) =>
    e.inConfig ? key : key === "slackId" ? "slack_id" : key === "teamsId" ? "teams_id" : key;
  const at = (e: StaffEntry, key: string) =>
    e.inConfig ? `${e.where}.${key}` : `${e.where}, ${named(e, key)}`;
  const say = (e: StaffEntry, text: string) => problems.push({ row: e.row, text });
  const once = (key: keyof typeof seen, i: number, value: string | undefined) => {
    if (value === undefined) return;
    const earlier = seen[key].get(value.toLowerCase());
    if (earlier === undefined) {
      seen[key].set(value.toLowerCase(), i);
      return;
    }
    // The config's entries come first, so the later one is the config's only if both are.
    const here = entries[i]!;
    const there = entries[earlier]!;
    const other = there.staff[key]!;
    const shownValue = key === "email" ? value.toLowerCase() : value;
    if (other !== value && key !== "email")
      say(
        here,
        `${at(here, key)}: ${value} is ${there.where}'s ${named(there, key)} ${other} in other letter case; ids are matched whatever their case, so one person would be taken for the other`,
      );
    else if (here.inConfig) say(here, `${at(here, key)}: ${shownValue} is listed twice`);
    else if (key !== "email")
      say(
        here,
        `${at(here, key)}: ${value} is also ${there.where}'s ${named(there, key)}; one id can't belong to two people`,
      );
    else if (there.inConfig)
      say(
        here,
        `${at(here, key)}: ${shownValue} is also in the config's staff (${there.where}); list each person once, in the config or in ${staffFile}`,
      );
    else say(here, `${at(here, key)}: ${shownValue} is listed twice (also ${there.where})`);
  };
  const staff: StaffConfig[] = [];
  for (const [i, e] of entries.entries()) {
    const s = e.staff;
    const email = s.email.toLowerCase();
    const words = s.team === undefined ? [] : Array.isArray(s.team) ? s.team : [s.team];
    const ids: string[] = [];
    for (const w of words) {
      const t = teamByWord.get(w.trim().toLowerCase());
      if (!t) {
        const hint = closest(
          w,
          teams.map((x) => x.name),
          1,
        )[0];
        say(e, `${at(e, "team")}: no team "${w}" in teams${hint ? ` (did you mean "${hint}"?)` : ""}`);
      } else ids.push(t.id);
    }
    if ((s.role === "worker" || s.role === "supervisor") && words.length === 0) {
      say(e, `${at(e, "team")}: a ${s.role} needs a team`);
    }
    if (s.role === "worker" && words.length > 1) say(e, `${at(e, "team")}: a worker belongs to one team`);
    once("email", i, s.email);
    once("slackId", i, s.slackId);
    once("teamsId", i, s.teamsId);
    for (const [j, a] of (s.away ?? []).entries()) {
      if (a.to < a.from) say(e, `${at(e, `away[${j}]`)}: "to" (${a.to}) is before "from" (${a.from})`);
    }
    staff.push({
      email,
      name: s.name,
      role: s.role,
      teams: ids,
      ...(s.slackId ? { slackId: s.slackId } : {}),
      ...(s.teamsId ? { teamsId: s.teamsId } : {}),
      away: s.away ?? [],
    });
  }
  return { staff, problems };
}

/**
 * What the config leaves nobody to do, said at start but not refused: an agency may set up its
 * supervisors or its admin a little later.
 */
function gaps(teams: readonly TeamConfig[], staff: readonly StaffConfig[]): string[] {
  const supervised = new Set<string>();
  for (const s of staff) if (s.role === "supervisor") for (const t of s.teams) supervised.add(t);
  const alone = teams.filter((t) => !supervised.has(t.id)).map((t) => t.name);
  const warnings: string[] = [];
  if (alone.length > 0) {
    const list =
      alone.length > 5 ? `${alone.slice(0, 5).join(", ")} and ${alone.length - 5} more` : alone.join(", ");
    warnings.push(
      `${alone.length === 1 ? "a team has" : `${alone.length} teams have`} no supervisor (${list}): only an admin can open, allocate or close their cases, and nobody reads their team digest as its supervisor.`,
    );
  }
  if (!staff.some((s) => s.role === "admin"))
    warnings.push(
      "nobody in staff has the role admin: people the bot does not know are told to ask an admin, and only an admin can manage cases of teams with no supervisor.",
    );
  return warnings;
}
