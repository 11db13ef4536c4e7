-- Before the index: a database an older version wrote may hold two unforced claims of one slot
-- (its claim relied on the writer lock, not a constraint), and the index would refuse them, so
-- the migration, and with it the server's start, would fail. Of each slot's standing claims the
-- most advanced stands (posted, then unconfirmed, then posting; the earliest of those): it is what
-- the platform shows and what the runner skips on. The others become `superseded`, outside the
-- index, with the run that stands named in their error. Nothing is deleted: their parts (what the
-- platform accepted of them) stay, and `sos digest status` lists them as superseded.
--
-- Edited after it was first released, on purpose: drizzle's migrator runs only the migrations
-- whose `when` is later than the last one a database records, never comparing hashes
-- (drizzle-orm sqlite-core/dialect.js `migrate`), so a database that already applied 0017 (and so
-- holds no duplicate) never runs it again, and one that has not runs it with this step first. A new
-- migration after 0017 could not help: 0017 itself would fail first.
WITH standing AS (
  SELECT id, kind, scope, period, platform,
         row_number() OVER (
           PARTITION BY kind, scope, period, platform
           ORDER BY CASE status WHEN 'posted' THEN 0 WHEN 'unconfirmed' THEN 1 ELSE 2 END, id
         ) AS rank
  FROM digest_runs
  WHERE forced = 0 AND status IN ('posting', 'posted', 'unconfirmed')
)
UPDATE digest_runs
SET status = 'superseded',
    error = 'A second claim of this digest from before claims were unique (it was ' || status
      || coalesce(': ' || error, '') || '); run #' || (
      SELECT k.id FROM standing k
      WHERE k.rank = 1 AND k.kind = digest_runs.kind AND k.scope = digest_runs.scope
        AND k.period = digest_runs.period AND k.platform = digest_runs.platform
    ) || ' stands for it.'
WHERE id IN (SELECT id FROM standing WHERE rank > 1);
--> statement-breakpoint
CREATE UNIQUE INDEX `digest_runs_one_claim` ON `digest_runs` (`kind`,`scope`,`period`,`platform`) WHERE "digest_runs"."forced" = 0 AND "digest_runs"."status" IN ('posting', 'posted', 'unconfirmed');
