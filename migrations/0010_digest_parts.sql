CREATE TABLE `digest_parts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`part` integer NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`ref` text,
	`repeat` integer DEFAULT false NOT NULL,
	`started_at` text NOT NULL,
	`answered_at` text,
	`error` text,
	FOREIGN KEY (`run_id`) REFERENCES `digest_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `digest_parts_run` ON `digest_parts` (`run_id`,`part`);--> statement-breakpoint
ALTER TABLE `digest_runs` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `digest_runs` ADD `owned_since` text;--> statement-breakpoint
ALTER TABLE `digest_runs` ADD `heartbeat_at` text;--> statement-breakpoint
ALTER TABLE `digest_runs` ADD `parts_total` integer;--> statement-breakpoint
ALTER TABLE `digest_runs` ADD `view` text;--> statement-breakpoint
CREATE INDEX `digest_runs_kept_view` ON `digest_runs` (`started_at`) WHERE "digest_runs"."view" IS NOT NULL;