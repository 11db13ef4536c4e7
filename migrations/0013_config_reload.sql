CREATE TABLE `config_reload` (
	`id` integer PRIMARY KEY NOT NULL,
	`pid` integer NOT NULL,
	`started_at` text NOT NULL,
	`config_path` text NOT NULL,
	`time_zone` text NOT NULL,
	`at` text,
	`trigger` text,
	`applied` integer,
	`summary` text,
	`problems` text,
	CONSTRAINT "config_reload_one_row" CHECK("config_reload"."id" = 1)
);
