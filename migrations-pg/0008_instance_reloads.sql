-- config_reload becomes one row per running instance (see src/store/pg/instances.ts). The one row
-- it held was only the last-started instance's start and reload, which every instance writes again
-- when it starts, so nothing worth keeping is dropped; an id cannot be altered into a serial column,
-- so the table is made again (as drizzle-kit's snapshot describes it).
DROP TABLE "config_reload";--> statement-breakpoint
CREATE TABLE "config_reload" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"pid" integer NOT NULL,
	"started_at" text NOT NULL,
	"config_path" text NOT NULL,
	"time_zone" text NOT NULL,
	"at" text,
	"trigger" text,
	"applied" boolean,
	"summary" text,
	"problems" json
);
