import { sql } from "drizzle-orm";
import {
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

/**
 * The database, as code. Dates are ISO `YYYY-MM-DD` text (a day, no time zone); instants are ISO
 * timestamps in UTC. Nothing a chat command does deletes a row: practice events are append-only and
 * an undo is a new event that retracts an earlier one.
 */

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
    createdAt: text("created_at").notNull(),
    createdBy: integer("created_by").references(() => staff.id),
  },
  (t) => [
    index("cases_team_status").on(t.teamId, t.status),
    index("cases_worker_status").on(t.workerId, t.status),
  ],
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
  (t) => [index("allocations_case").on(t.caseId)],
);

export const practiceEvents = sqliteTable(
  "practice_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    caseId: text("case_id")
      .notNull()
      .references(() => cases.id),
    element: text("element").notNull(),
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
    uniqueIndex("events_retracts_once").on(t.retractsId),
  ],
);

/**
 * The dashboard projection: one row per case and element with at least one live event, rewritten
 * from the events in the same transaction as every log and undo.
 */
export const elementStates = sqliteTable(
  "element_states",
  {
    caseId: text("case_id")
      .notNull()
      .references(() => cases.id),
    element: text("element").notNull(),
    count: integer("count").notNull(),
    firstOn: text("first_on"),
    lastOn: text("last_on"),
    lastValue: integer("last_value"),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.element] })],
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
    reference: text("reference", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    installedAt: text("installed_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    removedAt: text("removed_at"),
  },
  (t) => [index("teams_conversations_staff").on(t.staffId), index("teams_conversations_team").on(t.teamId)],
);

export type TeamRow = typeof teams.$inferSelect;
export type StaffRow = typeof staff.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;
export type AllocationRow = typeof allocations.$inferSelect;
export type PracticeEventRow = typeof practiceEvents.$inferSelect;
export type ElementStateRow = typeof elementStates.$inferSelect;
export type AuditRow = typeof audit.$inferSelect;
export type TeamsConversationRow = typeof teamsConversations.$inferSelect;
