import type { Db } from "./open.ts";
import { type StaffRow, staff } from "./schema.ts";

/** Staff rows, including people who have left the config, so history can name who recorded what. */
export function staffQueries(db: Db) {
  return {
    all(): StaffRow[] {
      return db.select().from(staff).all();
    },
  };
}
