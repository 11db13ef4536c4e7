CREATE TABLE `meta` (
	`id` integer PRIMARY KEY NOT NULL,
	`agency_id` text NOT NULL,
	`agency_name` text NOT NULL,
	`recorded_at` text NOT NULL,
	CONSTRAINT "meta_one_row" CHECK("meta"."id" = 1)
);
