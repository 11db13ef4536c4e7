import { sql } from "drizzle-orm";
import {
  type AnySQLiteColumn,
  check,
  customType,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import type { ElementKey } from "../domain/elements.ts";
import type { CaseStates } from "../domain/projection.ts";
import { decodeStates, encodeStates } from "./states-format.ts";

/**
 * The database, as code. Dates are ISO `YYYY-MM-DD` text (a day, no time zone); instants are ISO
 * timestamps in UTC. Nothing a chat command does deletes a row: practice events are append-only and
 * an undo is a new event that retracts an earlier one.
 */

/**
 * Which agency this database belongs to: one row, written by the first command that sets the
 * database up. A config naming another agency is refused before it can rewrite the staff (a forgotten
 * `SOS_CONFIG` once put the demo agency's staff over a real one's). The agency id never changes (a
 * trigger refuses it); its name may, with the config.
 */
export const meta = sqliteTable(
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
 * How the running app's config stands (one row): when that `sos start` began, and its last reload
 * of a changed config or staff file, applied or refused and why, so `sos config check` can tell an
 * admin. Config text only (staff and team names, problems): never child data.
 */
export const configReload = sqliteTable(
  "config_reload",
  {
    id: integer("id").primaryKey(),
    /** the `sos start` process */
    pid: integer("pid").notNull(),
    startedAt: text("started_at").notNull(),
    /** the config file it runs, and the time zone it started with (a reload may not change it) */
    configPath: text("config_path").notNull(),
    timeZone: text("time_zone").notNull(),
    /** the last reload; all null until one is tried */
    at: text("at"),
    trigger: text("trigger", { enum: ["file", "signal"] }),
    applied: integer("applied", { mode: "boolean" }),
    /** applied: what changed; refused: why, in one line */
    summary: text("summary"),
    /** refused: every problem, as `sos config check` prints them */
    problems: text("problems", { mode: "json" }).$type<string[]>(),
  },
  (t) => [check("config_reload_one_row", sql`${t.id} = 1`)],
);

/** The projection column, in its compact stored form (`states-format.ts`), as the projection. */
const statesColumn = customType<{ data: CaseStates; driverData: string }>({
  dataType: () => "text",
  toDriver: encodeStates,
  fromDriver: decodeStates,
});

export const teams = sqliteTable("teams", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** teams removed from config stay, so old cases keep their team */
  active: integer("active", { mode: "boolean" }).notNull().default(true),
});

export const staff = sqliteTable("staff", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role", { enum: ["worker", "supervisor", "manager", "admin"] }).notNull(),
  teamIds: text("team_ids", { mode: "json" }).$type<string[]>().notNull(),
  slackId: text("slack_id"),
  teamsId: text("teams_id"),
  /** staff who leave the config stay, so their past records keep their author */
  active: integer("active", { mode: "boolean" }).notNull().default(true),
});

export const cases = sqliteTable(
  "cases",
  {
    id: text("id").primaryKey(),
    childName: text("child_name").notNull(),
    dob: text("dob"),
    ageAtOpening: integer("age_at_opening"),
    openedOn: text("opened_on").notNull(),
    service: text("service", { enum: ["statutory-cp", "family-support", "voluntary"] }).notNull(),
    abuseTypes: text("abuse_types", { mode: "json" }).$type<string[]>().notNull(),
    workerId: integer("worker_id")
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
    /**
     * The dashboard projection: each element's state folded from its live events, rewritten in the
     * same transaction as every log and undo. One JSON value per case, so a dashboard of 20,000
     * cases reads 20,000 rows rather than 200,000.
     */
    states: statesColumn("states")
      .notNull()
      .default(sql`'{}'`)
      // Written in the compact form by every insert that goes through the query builder; a raw
      // insert keeps the column's old `{}` default, which reads as nothing live.
      .$defaultFn(() => ({})),
    createdAt: text("created_at").notNull(),
    createdBy: integer("created_by").references(() => staff.id),
    /**
     * Moved on by every write to the case (an entry, an undo, an allocation, a close): a command that
     * read the case at one version writes only if it is still at that version, so two commands
     * deciding on the same case at once cannot both act on what the other changed.
     */
    version: integer("version").notNull().default(0),
    /**
     * The day the case came onto its current service's dashboard: the opening day, or the day it was
     * moved (stepped up or down). Stuck rules count from here.
     */
    serviceSince: text("service_since"),
    /**
     * The first day the case is stuck under the config's rules as its record stands (the earliest
     * `since` of its findings, whatever today is), or null when no rule can find it stuck. Valid only
     * while `stuckFor` is the current generation (`derived.stuckGeneration`): a trigger clears
     * `stuckFor` when anything the rules read changes, and `stuck-since.ts` brings it up to date.
     */
    stuckSince: text("stuck_since"),
    /** the config generation `stuckSince` was worked out under; null: not worked out since a change */
    stuckFor: integer("stuck_for"),
  },
  (t) => [
    // Each in the seed's order (newest opened first, then id), so an open board is read in order
    // without sorting it: the agency's 20,000 cases were sorted through a temporary B-tree.
    index("cases_open_order").on(t.status, sql`${t.openedOn} DESC`, t.id),
    index("cases_team_open_order").on(t.teamId, t.status, sql`${t.openedOn} DESC`, t.id),
    index("cases_worker_open_order").on(t.workerId, t.status, sql`${t.openedOn} DESC`, t.id),
    // Stuck counts and the longest stuck, from the stored dates (the cases not yet worked out are
    // found by the first two columns).
    index("cases_stuck").on(t.status, t.stuckFor, t.stuckSince, t.teamId),
  ],
);

/**
 * Agency-wide coverage kept as the record changes, so the agency's numbers need no pass over its
 * cases: per team and service, the open cases (`element` -1) and how many of them have each
 * element done (`element` = its slot in `states-format.ts`). Written only by triggers on `cases`
 * (migration 0016), so every way a case changes keeps it right; rebuilt by `rebuildCoverage`.
 * It holds no config: which service shows which element is applied when it is read, so a changed
 * dashboard needs no rebuild.
 */
export const teamCoverage = sqliteTable(
  "team_coverage",
  {
    teamId: text("team_id").notNull(),
    service: text("service").notNull(),
    element: integer("element").notNull(),
    cases: integer("cases").notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.service, t.element] })],
);

/**
 * What the derived columns were worked out for: one row. `stuckFingerprint` is the config's stuck
 * rules and dashboards as `stuckSince` was worked out under them, `stuckGeneration` counts its
 * changes; `latestOn` the latest day any entry ever recorded happened on (a trigger keeps it), so a
 * coverage read for an earlier day knows the kept counts may include entries after it.
 */
export const derived = sqliteTable(
  "derived",
  {
    id: integer("id").primaryKey(),
    stuckGeneration: integer("stuck_generation").notNull().default(0),
    stuckFingerprint: text("stuck_fingerprint"),
    latestOn: text("latest_on"),
  },
  (t) => [check("derived_one_row", sql`${t.id} = 1`)],
);

/** The fields of a case that can be corrected after it is opened. */
export type CorrectableField = "childName" | "dob" | "ageAtOpening" | "openedOn" | "abuseTypes";
type FieldValue = string | number | readonly string[] | null;

/** What a case event says, by kind. Corrections keep the old and the new value: they are the record. */
export type CaseEventDetail =
  | { readonly field: CorrectableField; readonly from: FieldValue; readonly to: FieldValue }
  | { readonly from: string; readonly to: string }
  | { readonly outcome: string; readonly note: string | null; readonly closedOn: string }
  | { readonly outcome: string | null; readonly closedOn: string | null };

/**
 * What happened to a case itself, after it was opened: corrections, moves between services, closes
 * and reopens. Append-only like the practice events (database triggers); the case row shows the
 * latest, and a reopen never erases the close before it.
 */
export const caseEvents = sqliteTable(
  "case_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    caseId: text("case_id")
      .notNull()
      .references(() => cases.id),
    kind: text("kind", { enum: ["corrected", "moved", "closed", "reopened"] }).notNull(),
    /** the day it takes effect (a close's day, a move's day); the recording day for corrections */
    on: text("on").notNull(),
    at: text("at").notNull(),
    by: integer("by").references(() => staff.id),
    surface: text("surface").notNull(),
    detail: text("detail", { mode: "json" }).$type<CaseEventDetail>().notNull(),
  },
  (t) => [index("case_events_case").on(t.caseId, t.id)],
);

/** Who held a case from when: the transfer history behind "allocated worker". */
export const allocations = sqliteTable(
  "allocations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    caseId: text("case_id")
      .notNull()
      .references(() => cases.id),
    workerId: integer("worker_id")
      .notNull()
      .references(() => staff.id),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id),
    fromOn: text("from_on").notNull(),
    assignedBy: integer("assigned_by").references(() => staff.id),
    assignedAt: text("assigned_at").notNull(),
  },
  (t) => [
    index("allocations_case").on(t.caseId),
    // digest-perf: a week's transfers are read by day (`transfers`), not by scanning every allocation.
    index("allocations_from_on").on(t.fromOn),
  ],
);

export const practiceEvents = sqliteTable(
  "practice_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    caseId: text("case_id")
      .notNull()
      .references(() => cases.id),
    element: text("element").$type<ElementKey>().notNull(),
    /** the day the practice happened; null only for records imported without a date */
    occurredOn: text("occurred_on"),
    value: integer("value"),
    note: text("note"),
    recordedBy: integer("recorded_by").references(() => staff.id),
    recordedAt: text("recorded_at").notNull(),
    surface: text("surface").notNull(),
    /** set on a retraction: the event it undoes */
    retractsId: integer("retracts_id").references((): AnySQLiteColumn => practiceEvents.id),
  },
  (t) => [
    index("events_case_element").on(t.caseId, t.element),
    index("events_recorder").on(t.recordedBy, t.id),
    // Partial, so the planner never picks it for "retracts_id IS NULL" (every live event: a full scan)
    // over the (case_id, element) index; it still makes "undone twice" impossible.
    uniqueIndex("events_retracts_once").on(t.retractsId).where(sql`${t.retractsId} IS NOT NULL`),
  ],
);

/**
 * Delivery ids of commands already carried out (a Slack retry, a double-clicked button): the second
 * delivery gets the first one's reply and changes nothing.
 */
export const idempotency = sqliteTable("idempotency", {
  key: text("key").primaryKey(),
  reply: text("reply", { mode: "json" }).$type<unknown>().notNull(),
  createdAt: text("created_at").notNull(),
});

/** Who did what, from which surface. Never holds a child's name or a note. */
export const audit = sqliteTable(
  "audit",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at").notNull(),
    actorId: integer("actor_id").references(() => staff.id),
    surface: text("surface").notNull(),
    action: text("action").notNull(),
    caseId: text("case_id"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  },
  (t) => [index("audit_case").on(t.caseId)],
);

/**
 * What a stored conversation reference must hold, however the platform's SDK types it: the
 * conversation, the channel and (to post later) the service URL. The adapter checks the rest.
 */
export interface StoredReference {
  readonly channelId: string;
  readonly conversation: { readonly id: string };
  readonly serviceUrl?: string | undefined;
}

/**
 * Where the Teams app is installed: one row per personal chat, channel or group chat, with the
 * conversation reference needed to post there later (digests, nudges). A channel is stored by its
 * own id, never a thread's. Removing the app marks the row; it is not deleted.
 */
export const teamsConversations = sqliteTable(
  "teams_conversations",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["personal", "channel", "groupChat"] }).notNull(),
    /** the Teams team a channel belongs to */
    teamId: text("team_id"),
    /** personal chats: the Teams user and, once known, the staff member */
    userId: text("user_id"),
    staffId: integer("staff_id").references(() => staff.id),
    /** the Bot Framework ConversationReference, as JSON: service URL, tenant, bot and conversation */
    reference: text("reference", { mode: "json" }).$type<StoredReference>().notNull(),
    installedAt: text("installed_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    removedAt: text("removed_at"),
  },
  (t) => [index("teams_conversations_staff").on(t.staffId), index("teams_conversations_team").on(t.teamId)],
);

export type MetaRow = typeof meta.$inferSelect;
export type ConfigReloadRow = typeof configReload.$inferSelect;
export type TeamRow = typeof teams.$inferSelect;
export type StaffRow = typeof staff.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;
export type AllocationRow = typeof allocations.$inferSelect;
export type PracticeEventRow = typeof practiceEvents.$inferSelect;
export type AuditRow = typeof audit.$inferSelect;
export type CaseEventRow = typeof caseEvents.$inferSelect;

/**
 * The digest ledger: one row per run of a digest (kind, scope, period) on a platform. A row that is
 * posting or posted for a period is what makes a digest go out once, across restarts. A posting
 * row is held by one process (`owner`) which renews `heartbeatAt` while it posts; a row whose owner
 * stopped is taken over and resumed from its first part not recorded in `digest_parts`.
 */
export const digestRuns = sqliteTable(
  "digest_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: ["team", "agency", "nudge"] }).notNull(),
    /** a team id, "agency", or a staff id for a nudge */
    scope: text("scope").notNull(),
    /** ISO week (`2026-W48`) for digests, the day for nudges */
    period: text("period").notNull(),
    platform: text("platform").notNull(),
    /**
     * `unconfirmed`: stopped because its first message went out twice without the platform confirming
     * either, so nothing can follow in its thread and it is not sent a third time; `superseded`: a
     * second claim of its slot that an older version let stand, set aside when `migrations/0017`
     * made claims unique (its `error` names the run that stands; its parts are kept as they were)
     */
    status: text("status", {
      enum: ["posting", "posted", "failed", "skipped", "unconfirmed", "superseded"],
    }).notNull(),
    /** posted after its time because the app was down then */
    late: integer("late", { mode: "boolean" }).notNull().default(false),
    /** re-posted on purpose (`sos digest run --force`) */
    forced: integer("forced", { mode: "boolean" }).notNull().default(false),
    attempts: integer("attempts").notNull().default(0),
    scheduledFor: text("scheduled_for").notNull(),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at"),
    error: text("error"),
    /** where it went (channel or user id, message ref) or why it was skipped; no child data */
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    /** the process posting it (`host:pid:nonce`); null on runs from before the lease was kept */
    owner: text("owner"),
    /** when that process took it, and when it last said it was still posting (wall-clock instants) */
    ownedSince: text("owned_since"),
    heartbeatAt: text("heartbeat_at"),
    /** how many parts (messages, uploads) it has on its platform, once laid out */
    partsTotal: integer("parts_total"),
    /**
     * What it says (the digest's view model, as posted), kept while it is being posted so a resumed
     * run lays out the same parts; cleared when it is posted. Holds what its channel or person sees.
     */
    view: text("view", { mode: "json" }).$type<unknown>(),
  },
  (t) => [
    index("digest_runs_key").on(t.kind, t.scope, t.period, t.platform),
    // Only the few runs still holding what they say: forgetting old ones stays cheap.
    index("digest_runs_kept_view").on(t.startedAt).where(sql`${t.view} IS NOT NULL`),
    // ledger-pg: one claim per slot, made by the database so two processes cannot both post it.
    // Over the unforced runs that stand or are being posted: a failed or skipped run leaves room
    // for the next try, as before, and a forced re-run (`--force`) sits beside a posted one. A
    // generation column would say the same with a counter every claim must read first; the
    // predicate keeps the claim one INSERT … ON CONFLICT DO NOTHING.
    uniqueIndex("digest_runs_one_claim")
      .on(t.kind, t.scope, t.period, t.platform)
      .where(sql`${t.forced} = 0 AND ${t.status} IN ('posting', 'posted', 'unconfirmed')`),
  ],
);

/**
 * Each send of a part of a digest run (a message, an upload), recorded as it starts and again as the
 * platform answers. `sending`: started, no answer recorded (the process stopped, or is still
 * waiting); `unknown`: no answer in time, so it may have arrived; `refused`: the platform answered
 * with an error, so it did not; `sent`: accepted, with the platform's reference.
 */
export const digestParts = sqliteTable(
  "digest_parts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: integer("run_id")
      .notNull()
      .references(() => digestRuns.id),
    /** the part's place in posting order, from 0 (the first message, which the others thread under) */
    part: integer("part").notNull(),
    kind: text("kind", { enum: ["message", "file"] }).notNull(),
    status: text("status", { enum: ["sending", "sent", "unknown", "refused"] }).notNull(),
    /** the platform's reference: Slack's message ts or file id, Teams' conversation id */
    ref: text("ref"),
    /** sent again after an unconfirmed send, saying it may repeat */
    repeat: integer("repeat", { mode: "boolean" }).notNull().default(false),
    startedAt: text("started_at").notNull(),
    answeredAt: text("answered_at"),
    /** the platform's refusal or the timeout, in one sentence; no child data */
    error: text("error"),
  },
  (t) => [index("digest_parts_run").on(t.runId, t.part)],
);

/** Which stuck (case, rule) pairs a worker was nudged about, per ISO week: at most one nudge each. */
export const nudgesSent = sqliteTable(
  "nudges_sent",
  {
    caseId: text("case_id")
      .notNull()
      .references(() => cases.id),
    rule: text("rule").notNull(),
    week: text("week").notNull(),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    runId: integer("run_id").references(() => digestRuns.id),
  },
  (t) => [uniqueIndex("nudges_sent_once").on(t.caseId, t.rule, t.week)],
);

/** A case taken out of nudges until a day (one tap on a nudge, or `/sos snooze`). */
export const snoozes = sqliteTable(
  "snoozes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    caseId: text("case_id")
      .notNull()
      .references(() => cases.id),
    until: text("until").notNull(),
    by: integer("by").references(() => staff.id),
    at: text("at").notNull(),
  },
  (t) => [index("snoozes_case").on(t.caseId)],
);

/** Leave recorded with `/sos away`: no nudges to that person on those days (config `away` too). */
export const leave = sqliteTable(
  "leave",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    fromOn: text("from_on").notNull(),
    toOn: text("to_on").notNull(),
    at: text("at").notNull(),
  },
  (t) => [index("leave_staff").on(t.staffId)],
);

export type DigestRunRow = typeof digestRuns.$inferSelect;
export type DigestPartRow = typeof digestParts.$inferSelect;
export type TeamsConversationRow = typeof teamsConversations.$inferSelect;

/**
 * Every backup made (`sos backup`, the schedule, the one before a migration) and how its check went:
 * what `sos backup status` shows. A failed one keeps the plain sentence saying why.
 */
export const backups = sqliteTable(
  "backups",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: ["scheduled", "manual", "pre-migration"] }).notNull(),
    /** where the copy was written (absolute) */
    path: text("path").notNull(),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at").notNull(),
    status: text("status", { enum: ["ok", "failed"] }).notNull(),
    bytes: integer("bytes"),
    cases: integer("cases"),
    events: integer("events"),
    error: text("error"),
  },
  (t) => [index("backups_finished").on(t.finishedAt)],
);

/**
 * The one sanctioned way records leave the database: a case removed under the retention policy or
 * erased (a court order, a case opened in error). While a row for a case is open (`finished_at` null)
 * the append-only triggers let that case's rows be deleted, and only those; the row is opened, the
 * rows removed and the row finished in one transaction, so no open row outlives it. The row keeps the
 * case id, why, who and how much was removed: never a name or a note.
 */
export const erasures = sqliteTable(
  "erasures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    caseId: text("case_id").notNull(),
    under: text("under", { enum: ["retention", "erasure"] }).notNull(),
    /** the retention rule that made it due, or the admin's reason for an erasure */
    reason: text("reason").notNull(),
    by: integer("by")
      .notNull()
      .references(() => staff.id),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at"),
    /** how many rows of each kind went: counts only */
    removed: text("removed", { mode: "json" }).$type<Record<string, number>>().notNull().default(sql`'{}'`),
  },
  (t) => [index("erasures_case").on(t.caseId)],
);

export type BackupRow = typeof backups.$inferSelect;
export type ErasureRow = typeof erasures.$inferSelect;

/**
 * Systems allowed to call the HTTP API (`sos api-client add`): a case-recording system, a data
 * team's reporting job. Only a SHA-256 hash of each token is kept, so a copy of the database lets no
 * one call the API; the token itself is shown once, when the client is added. A revoked client keeps
 * its row (the audit names it) and its token stops working at once.
 */
export const apiClients = sqliteTable(
  "api_clients",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    /** hex SHA-256 of the token */
    tokenHash: text("token_hash").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    /** team ids the client is limited to; empty: every team */
    teams: text("teams", { mode: "json" }).$type<string[]>().notNull(),
    createdAt: text("created_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("api_clients_name").on(t.name), uniqueIndex("api_clients_token").on(t.tokenHash)],
);

export type ApiClientRow = typeof apiClients.$inferSelect;

// --- start-pg: App Home coalescing across instances ---

/**
 * When each person's App Home was last published after a change, by any instance, and when they
 * last opened it: a refresh claims the person's row with a conditional write (only when they opened
 * it recently and the last publish is a window old), so two instances on one database still publish
 * a person's Home at most once per window, and nobody's Home is rebuilt after a change while nobody
 * is looking at it. No child data: a Slack user id and two times.
 */
export const homeRefreshes = sqliteTable("home_refreshes", {
  slackUserId: text("slack_user_id").primaryKey(),
  /**
   * milliseconds since the epoch (0: never published after a change): compared across processes,
   * so wall time, not a monotonic clock
   */
  lastAt: integer("last_at").notNull(),
  /** when Slack last said they opened the Home (`app_home_opened`), epoch ms; null: not since 0020 */
  openedAt: integer("opened_at"),
});
