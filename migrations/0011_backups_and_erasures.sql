CREATE TABLE `backups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`path` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text NOT NULL,
	`status` text NOT NULL,
	`bytes` integer,
	`cases` integer,
	`events` integer,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `backups_finished` ON `backups` (`finished_at`);--> statement-breakpoint
CREATE TABLE `erasures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` text NOT NULL,
	`under` text NOT NULL,
	`reason` text NOT NULL,
	`by` integer NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`removed` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `erasures_case` ON `erasures` (`case_id`);