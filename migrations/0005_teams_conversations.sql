CREATE TABLE `teams_conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`team_id` text,
	`user_id` text,
	`staff_id` integer,
	`reference` text NOT NULL,
	`installed_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`removed_at` text,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `teams_conversations_staff` ON `teams_conversations` (`staff_id`);--> statement-breakpoint
CREATE INDEX `teams_conversations_team` ON `teams_conversations` (`team_id`);