CREATE TABLE `home_refreshes` (
	`slack_user_id` text PRIMARY KEY NOT NULL,
	`last_at` integer NOT NULL
);
