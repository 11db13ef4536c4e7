import { defineConfig } from "drizzle-kit";

// The PostgreSQL store's migrations (`npx drizzle-kit generate --config drizzle.pg.config.ts`): the
// SQLite store keeps its own in `drizzle.config.ts` and `migrations/`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/store/pg/schema.ts",
  out: "./migrations-pg",
});
