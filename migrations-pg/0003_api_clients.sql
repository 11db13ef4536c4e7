CREATE TABLE "api_clients" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"scopes" json NOT NULL,
	"teams" json NOT NULL,
	"created_at" text NOT NULL,
	"revoked_at" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "api_clients_name" ON "api_clients" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "api_clients_token" ON "api_clients" USING btree ("token_hash");