import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { ElementKey } from "../../domain/elements.ts";
import type { CaseStates } from "../../domain/projection.ts";
import type { CaseEventDetail, StoredReference } from "../schema.ts";
import { decodeStates, encodeStates } from "../states-format.ts";

/**
 * The PostgreSQL database, as code: the SQLite schema (`../schema.ts`) table for table and column
 * for column, so a row reads as the same TypeScript type from either store. Days and instants stay
 * ISO text, as there; JSON columns are `json` (not `jsonb`), which keeps the text as written, key
 * order included, so an audit line or a stored reply reads back exactly. The guarantees SQLite's
 * triggers keep (append-only, the one erasure path, coverage and "stuck since" upkeep) are plpgsql
 * triggers in the custom migration `migrations-pg/0001_guarantees.sql`.
 */

export const meta = pgTable(
  "meta",
  {
    id: integer("id").primaryKey(),
    agencyId: text("agency_id").notNull(),
    agencyName: text("agency_name").notNull(),
    recordedAt: text("recorded_at").notNull(),
  },
  (t) => [check("meta_one_row", sql`${t.id} = 1`)],
);

/**
 * One row per `sos start` instance (unlike SQLite's one row: one file, one server): what it began
 * serving and its last reload. An instance holds the session advisory lock (INSTANCE_SPACE, id)
 * while it runs (`src/store/pg/instances.ts`), so a row whose lock is free is a stopped instance's:
 * never shown as running, and pruned when the next instance starts.
 */
export const configReload = pgTable("config_reload", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  host: text("host").notNull(),
  pid: integer("pid").notNull(),
  startedAt: text("started_at").notNull(),
  configPath: text("config_path").notNull(),
  timeZone: text("time_zone").notNull(),
  at: text("at"),
  trigger: text("trigger", { enum: ["file", "signal"] }),
  applied: boolean("applied"),
  summary: text("summary"),
  problems: json("problems").$type<string[]>(),
});

/** The projection in the same compact text form as on SQLite (`states-format.ts`). */
const statesColumn = customType<{ data: CaseStates; driverData: string }>({
  dataType: () => "text",
  toDriver: encodeStates,
  fromDriver: decodeStates,
});

export const teams = pgTable("teams", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  active: boolean("active").notNull().default(true),
});

export const staff = pgTable("staff", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role", { enum: ["worker", "supervisor", "manager", "admin"] }).notNull(),
  teamIds: json("team_ids").$type<string[]>().notNull(),
  slackId: text("slack_id"),
  teamsId: text("teams_id"),
  active: boolean("active").notNull().default(true),
});

export const cases = pgTable(
  "cases",
  {
    id: text("id").primaryKey(),
    childName: text("child_name").notNull(),
    dob: text("dob"),
    ageAtOpening: integer("age_at_opening"),
    openedOn: text("opened_on").notNull(),
    service: text("service", { enum: ["statutory-cp", "family-support", "voluntary"] }).notNull(),
    abuseTypes: json("abuse_types").$type<string[]>().notNull(),
    workerId: bigint("worker_id", { mode: "number" })
      .notNull()
      .references(() => staff.id),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id),
    status: text("status", { enum: ["open", "closed"] })
      .notNull()
      .default("open"),
    closedOn: text("closed_on"),
    outcome: text("outcome"),
    closingNote: text("closing_note"),
    states: statesColumn("states")
      .notNull()
      .default(sql`'{}'`)
      .$defaultFn(() => ({})),
    createdAt: text("created_at").notNull(),
    createdBy: bigint("created_by", { mode: "number" }).references(() => staff.id),
    version: integer("version").notNull().default(0),
    serviceSince: text("service_since"),
    stuckSince: text("stuck_since"),
    stuckFor: integer("stuck_for"),
  },
  (t) => [
    index("cases_open_order").on(t.status, t.openedOn.desc(), t.id),
    index("cases_team_open_order").on(t.teamId, t.status, t.openedOn.desc(), t.id),
    index("cases_worker_open_order").on(t.workerId, t.status, t.openedOn.desc(), t.id),
    index("cases_stuck").on(t.status, t.stuckFor, t.stuckSince, t.teamId),
  ],
);

export const teamCoverage = pgTable(
  "team_coverage",
  {
    teamId: text("team_id").notNull(),
    service: text("service").notNull(),
    element: integer("element").notNull(),
    cases: integer("cases").notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.service, t.element] })],
);

export const derived = pgTable(
  "derived",
  {
    id: integer("id").primaryKey(),
    stuckGeneration: integer("stuck_generation").notNull().default(0),
    stuckFingerprint: text("stuck_fingerprint"),
    latestOn: text("latest_on"),
  },
  (t) => [check("derived_one_row", sql`${t.id} = 1`)],
);

export const caseEvents = pgTable(
  "case_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    caseId: text("case_id")
      .notNull()
      .references(() => cases.id),
    kind: text("kind", { enum: ["corrected", "moved", "closed", "reopened"] }).notNull(),
    on: text("on").notNull(),
    at: text("at").notNull(),
    by: bigint("by", { mode: "number" }).references(() => staff.id),
    surface: text("surface").notNull(),
    detail: json("detail").$type<CaseEventDetail>().notNull(),
  },
  (t) => [index("case_events_case").on(t.caseId, t.id)],
);

export const allocations = pgTable(
  "allocations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    caseId: text("case_id")
      .notNull()
      .references(() => cases.id),
    workerId: bigint("worker_id", { mode: "number" })
      .notNull()
      .references(() => staff.id),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id),
    fromOn: text("from_on").notNull(),
    assignedBy: bigint("assigned_by", { mode: "number" }).references(() => staff.id),
    assignedAt: text("assigned_at").notNull(),
  },
  (t) => [
    index("allocations_case").on(t.caseId),
    // digest-perf: a week's transfers are read by day (`transfers`), not by scanning every allocation.
    index("allocations_from_on").on(t.fromOn),
  ],
);

export const practiceEvents = pgTable(
  "practice_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    caseId: text("case_id")
      .notNull()
      .references(() => cases.id),
    element: text("element").$type<ElementKey>().notNull(),
    occurredOn: text("occurred_on"),
    value: integer("value"),
    note: text("note"),
    recordedBy: bigint("recorded_by", { mode: "number" }).references(() => staff.id),
    recordedAt: text("recorded_at").notNull(),
    surface: text("surface").notNull(),
    retractsId: bigint("retracts_id", { mode: "number" }).references((): AnyPgColumn => practiceEvents.id),
  },
  (t) => [
    index("events_case_element").on(t.caseId, t.element),
    index("events_recorder").on(t.recordedBy, t.id),
    uniqueIndex("events_retracts_once").on(t.retractsId).where(sql`${t.retractsId} IS NOT NULL`),
  ],
);

export const idempotency = pgTable("idempotency", {
  key: text("key").primaryKey(),
  reply: json("reply").$type<unknown>().notNull(),
  createdAt: text("created_at").notNull(),
});

export const audit = pgTable(
  "audit",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: text("at").notNull(),
    actorId: bigint("actor_id", { mode: "number" }).references(() => staff.id),
    surface: text("surface").notNull(),
    action: text("action").notNull(),
    caseId: text("case_id"),
    detail: json("detail").$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  },
  (t) => [index("audit_case").on(t.caseId)],
);

export const teamsConversations = pgTable(
  "teams_conversations",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["personal", "channel", "groupChat"] }).notNull(),
    teamId: text("team_id"),
    userId: text("user_id"),
    staffId: bigint("staff_id", { mode: "number" }).references(() => staff.id),
    reference: json("reference").$type<StoredReference>().notNull(),
    installedAt: text("installed_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    removedAt: text("removed_at"),
  },
  (t) => [index("teams_conversations_staff").on(t.staffId), index("teams_conversations_team").on(t.teamId)],
);

export const digestRuns = pgTable(
  "digest_runs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind", { enum: ["team", "agency", "nudge"] }).notNull(),
    scope: text("scope").notNull(),
    period: text("period").notNull(),
    platform: text("platform").notNull(),
    status: text("status", {
      enum: ["posting", "posted", "failed", "skipped", "unconfirmed", "superseded"],
    }).notNull(),
    late: boolean("late").notNull().default(false),
    forced: boolean("forced").notNull().default(false),
    attempts: integer("attempts").notNull().default(0),
    scheduledFor: text("scheduled_for").notNull(),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at"),
    error: text("error"),
    detail: json("detail").$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    owner: text("owner"),
    ownedSince: text("owned_since"),
    heartbeatAt: text("heartbeat_at"),
    partsTotal: integer("parts_total"),
    view: json("view").$type<unknown>(),
  },
  (t) => [
    index("digest_runs_key").on(t.kind, t.scope, t.period, t.platform),
    index("digest_runs_kept_view").on(t.startedAt).where(sql`${t.view} IS NOT NULL`),
    // ledger-pg: one claim per slot, made by the database so two processes cannot both post it.
    // Over the unforced runs that stand or are being posted: a failed or skipped run leaves room
    // for the next try, as before, and a forced re-run (`--force`) sits beside a posted one. A
    // generation column would say the same with a counter every claim must read first; the
    // predicate keeps the claim one INSERT … ON CONFLICT DO NOTHING.
    uniqueIndex("digest_runs_one_claim")
      .on(t.kind, t.scope, t.period, t.platform)
      .where(sql`${t.forced} = false AND ${t.status} IN ('posting', 'posted', 'unconfirmed')`),
  ],
);

export const digestParts = pgTable(
  "digest_parts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    runId: bigint("run_id", { mode: "number" })
      .notNull()
      .references(() => digestRuns.id),
    part: integer("part").notNull(),
    kind: text("kind", { enum: ["message", "file"] }).notNull(),
    status: text("status", { enum: ["sending", "sent", "unknown", "refused"] }).notNull(),
    ref: text("ref"),
    repeat: boolean("repeat").notNull().default(false),
    startedAt: text("started_at").notNull(),
    answeredAt: text("answered_at"),
    error: text("error"),
  },
  (t) => [index("digest_parts_run").on(t.runId, t.part)],
);

export const nudgesSent = pgTable(
  "nudges_sent",
  {
    caseId: text("case_id")
      .notNull()
      .references(() => cases.id),
    rule: text("rule").notNull(),
    week: text("week").notNull(),
    staffId: bigint("staff_id", { mode: "number" })
      .notNull()
      .references(() => staff.id),
    runId: bigint("run_id", { mode: "number" }).references(() => digestRuns.id),
  },
  (t) => [uniqueIndex("nudges_sent_once").on(t.caseId, t.rule, t.week)],
);

export const snoozes = pgTable(
  "snoozes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    caseId: text("case_id")
      .notNull()
      .references(() => cases.id),
    until: text("until").notNull(),
    by: bigint("by", { mode: "number" }).references(() => staff.id),
    at: text("at").notNull(),
  },
  (t) => [index("snoozes_case").on(t.caseId)],
);

export const leave = pgTable(
  "leave",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    staffId: bigint("staff_id", { mode: "number" })
      .notNull()
      .references(() => staff.id),
    fromOn: text("from_on").notNull(),
    toOn: text("to_on").notNull(),
    at: text("at").notNull(),
  },
  (t) => [index("leave_staff").on(t.staffId)],
);

export const backups = pgTable(
  "backups",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind", { enum: ["scheduled", "manual", "pre-migration"] }).notNull(),
    path: text("path").notNull(),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at").notNull(),
    status: text("status", { enum: ["ok", "failed"] }).notNull(),
    // A database file past 2 GiB is an agency of some years, not a mistake.
    bytes: bigint("bytes", { mode: "number" }),
    cases: integer("cases"),
    events: integer("events"),
    error: text("error"),
  },
  (t) => [index("backups_finished").on(t.finishedAt)],
);

export const erasures = pgTable(
  "erasures",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    caseId: text("case_id").notNull(),
    under: text("under", { enum: ["retention", "erasure"] }).notNull(),
    reason: text("reason").notNull(),
    by: bigint("by", { mode: "number" })
      .notNull()
      .references(() => staff.id),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at"),
    removed: json("removed").$type<Record<string, number>>().notNull().default(sql`'{}'`),
  },
  (t) => [index("erasures_case").on(t.caseId)],
);

// --- migrate-store: the tables `sos migrate-store` copies that had no PostgreSQL twin yet ---

/** As `api_clients` on SQLite: only a hash of each token is kept. */
export const apiClients = pgTable(
  "api_clients",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    scopes: json("scopes").$type<string[]>().notNull(),
    teams: json("teams").$type<string[]>().notNull(),
    createdAt: text("created_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("api_clients_name").on(t.name), uniqueIndex("api_clients_token").on(t.tokenHash)],
);

// --- start-pg: App Home coalescing across instances (as `home_refreshes` on SQLite) ---

export const homeRefreshes = pgTable("home_refreshes", {
  slackUserId: text("slack_user_id").primaryKey(),
  lastAt: bigint("last_at", { mode: "number" }).notNull(),
  openedAt: bigint("opened_at", { mode: "number" }),
});
