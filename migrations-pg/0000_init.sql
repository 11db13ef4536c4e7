CREATE TABLE "allocations" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"worker_id" integer NOT NULL,
	"team_id" text NOT NULL,
	"from_on" text NOT NULL,
	"assigned_by" integer,
	"assigned_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit" (
	"id" serial PRIMARY KEY NOT NULL,
	"at" text NOT NULL,
	"actor_id" integer,
	"surface" text NOT NULL,
	"action" text NOT NULL,
	"case_id" text,
	"detail" json DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "backups" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"path" text NOT NULL,
	"started_at" text NOT NULL,
	"finished_at" text NOT NULL,
	"status" text NOT NULL,
	"bytes" integer,
	"cases" integer,
	"events" integer,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"kind" text NOT NULL,
	"on" text NOT NULL,
	"at" text NOT NULL,
	"by" integer,
	"surface" text NOT NULL,
	"detail" json NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"child_name" text NOT NULL,
	"dob" text,
	"age_at_opening" integer,
	"opened_on" text NOT NULL,
	"service" text NOT NULL,
	"abuse_types" json NOT NULL,
	"worker_id" integer NOT NULL,
	"team_id" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_on" text,
	"outcome" text,
	"closing_note" text,
	"states" text DEFAULT '{}' NOT NULL,
	"created_at" text NOT NULL,
	"created_by" integer,
	"version" integer DEFAULT 0 NOT NULL,
	"service_since" text,
	"stuck_since" text,
	"stuck_for" integer
);
--> statement-breakpoint
CREATE TABLE "config_reload" (
	"id" integer PRIMARY KEY NOT NULL,
	"pid" integer NOT NULL,
	"started_at" text NOT NULL,
	"config_path" text NOT NULL,
	"time_zone" text NOT NULL,
	"at" text,
	"trigger" text,
	"applied" boolean,
	"summary" text,
	"problems" json,
	CONSTRAINT "config_reload_one_row" CHECK ("config_reload"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "derived" (
	"id" integer PRIMARY KEY NOT NULL,
	"stuck_generation" integer DEFAULT 0 NOT NULL,
	"stuck_fingerprint" text,
	"latest_on" text,
	CONSTRAINT "derived_one_row" CHECK ("derived"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "digest_parts" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"part" integer NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"ref" text,
	"repeat" boolean DEFAULT false NOT NULL,
	"started_at" text NOT NULL,
	"answered_at" text,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "digest_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"scope" text NOT NULL,
	"period" text NOT NULL,
	"platform" text NOT NULL,
	"status" text NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"forced" boolean DEFAULT false NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"scheduled_for" text NOT NULL,
	"started_at" text NOT NULL,
	"finished_at" text,
	"error" text,
	"detail" json DEFAULT '{}' NOT NULL,
	"owner" text,
	"owned_since" text,
	"heartbeat_at" text,
	"parts_total" integer,
	"view" json
);
--> statement-breakpoint
CREATE TABLE "erasures" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"under" text NOT NULL,
	"reason" text NOT NULL,
	"by" integer NOT NULL,
	"started_at" text NOT NULL,
	"finished_at" text,
	"removed" json DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency" (
	"key" text PRIMARY KEY NOT NULL,
	"reply" json NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leave" (
	"id" serial PRIMARY KEY NOT NULL,
	"staff_id" integer NOT NULL,
	"from_on" text NOT NULL,
	"to_on" text NOT NULL,
	"at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meta" (
	"id" integer PRIMARY KEY NOT NULL,
	"agency_id" text NOT NULL,
	"agency_name" text NOT NULL,
	"recorded_at" text NOT NULL,
	CONSTRAINT "meta_one_row" CHECK ("meta"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "nudges_sent" (
	"case_id" text NOT NULL,
	"rule" text NOT NULL,
	"week" text NOT NULL,
	"staff_id" integer NOT NULL,
	"run_id" integer
);
--> statement-breakpoint
CREATE TABLE "practice_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"element" text NOT NULL,
	"occurred_on" text,
	"value" integer,
	"note" text,
	"recorded_by" integer,
	"recorded_at" text NOT NULL,
	"surface" text NOT NULL,
	"retracts_id" integer
);
--> statement-breakpoint
CREATE TABLE "snoozes" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"until" text NOT NULL,
	"by" integer,
	"at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"team_ids" json NOT NULL,
	"slack_id" text,
	"teams_id" text,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "staff_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "team_coverage" (
	"team_id" text NOT NULL,
	"service" text NOT NULL,
	"element" integer NOT NULL,
	"cases" integer NOT NULL,
	CONSTRAINT "team_coverage_team_id_service_element_pk" PRIMARY KEY("team_id","service","element")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "teams_conversations" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"team_id" text,
	"user_id" text,
	"staff_id" integer,
	"reference" json NOT NULL,
	"installed_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"removed_at" text
);
--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_worker_id_staff_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_assigned_by_staff_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit" ADD CONSTRAINT "audit_actor_id_staff_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_by_staff_id_fk" FOREIGN KEY ("by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_worker_id_staff_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digest_parts" ADD CONSTRAINT "digest_parts_run_id_digest_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."digest_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erasures" ADD CONSTRAINT "erasures_by_staff_id_fk" FOREIGN KEY ("by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leave" ADD CONSTRAINT "leave_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nudges_sent" ADD CONSTRAINT "nudges_sent_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nudges_sent" ADD CONSTRAINT "nudges_sent_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nudges_sent" ADD CONSTRAINT "nudges_sent_run_id_digest_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."digest_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_events" ADD CONSTRAINT "practice_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_events" ADD CONSTRAINT "practice_events_recorded_by_staff_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_events" ADD CONSTRAINT "practice_events_retracts_id_practice_events_id_fk" FOREIGN KEY ("retracts_id") REFERENCES "public"."practice_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snoozes" ADD CONSTRAINT "snoozes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snoozes" ADD CONSTRAINT "snoozes_by_staff_id_fk" FOREIGN KEY ("by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams_conversations" ADD CONSTRAINT "teams_conversations_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "allocations_case" ON "allocations" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "audit_case" ON "audit" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "backups_finished" ON "backups" USING btree ("finished_at");--> statement-breakpoint
CREATE INDEX "case_events_case" ON "case_events" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "cases_open_order" ON "cases" USING btree ("status","opened_on" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "cases_team_open_order" ON "cases" USING btree ("team_id","status","opened_on" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "cases_worker_open_order" ON "cases" USING btree ("worker_id","status","opened_on" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "cases_stuck" ON "cases" USING btree ("status","stuck_for","stuck_since","team_id");--> statement-breakpoint
CREATE INDEX "digest_parts_run" ON "digest_parts" USING btree ("run_id","part");--> statement-breakpoint
CREATE INDEX "digest_runs_key" ON "digest_runs" USING btree ("kind","scope","period","platform");--> statement-breakpoint
CREATE INDEX "digest_runs_kept_view" ON "digest_runs" USING btree ("started_at") WHERE "digest_runs"."view" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "erasures_case" ON "erasures" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "leave_staff" ON "leave" USING btree ("staff_id");--> statement-breakpoint
CREATE UNIQUE INDEX "nudges_sent_once" ON "nudges_sent" USING btree ("case_id","rule","week");--> statement-breakpoint
CREATE INDEX "events_case_element" ON "practice_events" USING btree ("case_id","element");--> statement-breakpoint
CREATE INDEX "events_recorder" ON "practice_events" USING btree ("recorded_by","id");--> statement-breakpoint
CREATE UNIQUE INDEX "events_retracts_once" ON "practice_events" USING btree ("retracts_id") WHERE "practice_events"."retracts_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "snoozes_case" ON "snoozes" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "teams_conversations_staff" ON "teams_conversations" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "teams_conversations_team" ON "teams_conversations" USING btree ("team_id");