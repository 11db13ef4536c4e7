CREATE TABLE `allocations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` text NOT NULL,
	`worker_id` integer NOT NULL,
	`team_id` text NOT NULL,
	`from_on` text NOT NULL,
	`assigned_by` integer,
	`assigned_at` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`worker_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `allocations_case` ON `allocations` (`case_id`);--> statement-breakpoint
CREATE TABLE `audit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_id` integer,
	`surface` text NOT NULL,
	`action` text NOT NULL,
	`case_id` text,
	`detail` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_case` ON `audit` (`case_id`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` text PRIMARY KEY NOT NULL,
	`child_name` text NOT NULL,
	`dob` text,
	`age_at_opening` integer,
	`opened_on` text NOT NULL,
	`service` text NOT NULL,
	`abuse_types` text NOT NULL,
	`worker_id` integer NOT NULL,
	`team_id` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`closed_on` text,
	`outcome` text,
	`closing_note` text,
	`created_at` text NOT NULL,
	`created_by` integer,
	FOREIGN KEY (`worker_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cases_team_status` ON `cases` (`team_id`,`status`);--> statement-breakpoint
CREATE INDEX `cases_worker_status` ON `cases` (`worker_id`,`status`);--> statement-breakpoint
CREATE TABLE `element_states` (
	`case_id` text NOT NULL,
	`element` text NOT NULL,
	`count` integer NOT NULL,
	`first_on` text,
	`last_on` text,
	`last_value` integer,
	PRIMARY KEY(`case_id`, `element`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `idempotency` (
	`key` text PRIMARY KEY NOT NULL,
	`reply` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `practice_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` text NOT NULL,
	`element` text NOT NULL,
	`occurred_on` text,
	`value` integer,
	`note` text,
	`recorded_by` integer,
	`recorded_at` text NOT NULL,
	`surface` text NOT NULL,
	`retracts_id` integer,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`retracts_id`) REFERENCES `practice_events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `events_case_element` ON `practice_events` (`case_id`,`element`);--> statement-breakpoint
CREATE INDEX `events_recorder` ON `practice_events` (`recorded_by`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `events_retracts_once` ON `practice_events` (`retracts_id`);--> statement-breakpoint
CREATE TABLE `staff` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`team_ids` text NOT NULL,
	`slack_id` text,
	`teams_id` text,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_email_unique` ON `staff` (`email`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
