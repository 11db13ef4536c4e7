DROP INDEX `events_retracts_once`;--> statement-breakpoint
CREATE UNIQUE INDEX `events_retracts_once` ON `practice_events` (`retracts_id`) WHERE "practice_events"."retracts_id" IS NOT NULL;