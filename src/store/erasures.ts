import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "./open.ts";
import { erasures } from "./schema.ts";

/**
 * The erasure record read by commands: a case id removed under the retention policy stays taken, so
 * a new case cannot be opened under it and be read as the old one's (the id is all the record keeps).
 */
export function erasureQueries(db: Db) {
  return {
    /** when the case id was last removed under retention (finished), or undefined */
    retentionErasedAt(caseId: string): string | undefined {
      const row = db
        .select({ at: erasures.finishedAt })
        .from(erasures)
        .where(
          and(eq(erasures.caseId, caseId), eq(erasures.under, "retention"), isNotNull(erasures.finishedAt)),
        )
        .orderBy(desc(erasures.id))
        .limit(1)
        .get();
      return row?.at ?? undefined;
    },
  };
}
