CREATE TABLE `api_clients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`teams` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_clients_name` ON `api_clients` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_clients_token` ON `api_clients` (`token_hash`);