CREATE TABLE `derived` (
	`id` integer PRIMARY KEY NOT NULL,
	`stuck_generation` integer DEFAULT 0 NOT NULL,
	`stuck_fingerprint` text,
	`latest_on` text,
	CONSTRAINT "derived_one_row" CHECK("derived"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `team_coverage` (
	`team_id` text NOT NULL,
	`service` text NOT NULL,
	`element` integer NOT NULL,
	`cases` integer NOT NULL,
	PRIMARY KEY(`team_id`, `service`, `element`)
);
--> statement-breakpoint
DROP INDEX `cases_team_status`;--> statement-breakpoint
DROP INDEX `cases_worker_status`;--> statement-breakpoint
ALTER TABLE `cases` ADD `stuck_since` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `stuck_for` integer;--> statement-breakpoint
CREATE INDEX `cases_open_order` ON `cases` (`status`,"opened_on" DESC,`id`);--> statement-breakpoint
CREATE INDEX `cases_team_open_order` ON `cases` (`team_id`,`status`,"opened_on" DESC,`id`);--> statement-breakpoint
CREATE INDEX `cases_worker_open_order` ON `cases` (`worker_id`,`status`,"opened_on" DESC,`id`);--> statement-breakpoint
CREATE INDEX `cases_stuck` ON `cases` (`status`,`stuck_for`,`stuck_since`,`team_id`);