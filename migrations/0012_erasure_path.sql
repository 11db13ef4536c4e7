-- Custom SQL migration file, put your code below! --
-- Records leave the database one way only: an erasure (`sos retention --apply`, `sos erase`). While
-- an erasure row for a case is open, that case's rows may be deleted, and nothing else's; every other
-- UPDATE or DELETE is refused as before. The erasure is opened, the rows removed and the erasure
-- finished in one transaction, and it can finish only once the case is gone, so no open row outlives
-- its transaction and no erasure is half done.
DROP TRIGGER `practice_events_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `practice_events_no_delete` BEFORE DELETE ON `practice_events`
WHEN NOT EXISTS (SELECT 1 FROM `erasures` WHERE `case_id` = OLD.`case_id` AND `finished_at` IS NULL)
BEGIN SELECT RAISE(ABORT, 'practice_events is append-only: record a retraction instead'); END;
--> statement-breakpoint
DROP TRIGGER `case_events_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `case_events_no_delete` BEFORE DELETE ON `case_events`
WHEN NOT EXISTS (SELECT 1 FROM `erasures` WHERE `case_id` = OLD.`case_id` AND `finished_at` IS NULL)
BEGIN SELECT RAISE(ABORT, 'case_events is append-only: record a correction instead'); END;
--> statement-breakpoint
DROP TRIGGER `audit_no_delete`;
--> statement-breakpoint
-- The line saying a case was removed is never removed, not even by a later erasure of the same id.
CREATE TRIGGER `audit_no_delete` BEFORE DELETE ON `audit`
WHEN OLD.`action` = 'erase' OR OLD.`case_id` IS NULL
  OR NOT EXISTS (SELECT 1 FROM `erasures` WHERE `case_id` = OLD.`case_id` AND `finished_at` IS NULL)
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `cases_no_delete` BEFORE DELETE ON `cases`
WHEN NOT EXISTS (SELECT 1 FROM `erasures` WHERE `case_id` = OLD.`id` AND `finished_at` IS NULL)
BEGIN SELECT RAISE(ABORT, 'cases are removed only by sos retention or sos erase'); END;
--> statement-breakpoint
CREATE TRIGGER `allocations_no_delete` BEFORE DELETE ON `allocations`
WHEN NOT EXISTS (SELECT 1 FROM `erasures` WHERE `case_id` = OLD.`case_id` AND `finished_at` IS NULL)
BEGIN SELECT RAISE(ABORT, 'allocations are the transfer history: removed only by sos retention or sos erase'); END;
--> statement-breakpoint
CREATE TRIGGER `allocations_no_update` BEFORE UPDATE ON `allocations`
BEGIN SELECT RAISE(ABORT, 'allocations are the transfer history: record a new allocation instead'); END;
--> statement-breakpoint
-- One erasure at a time, opened for a case that exists.
CREATE UNIQUE INDEX `erasures_one_open` ON `erasures` (`finished_at` IS NULL) WHERE `finished_at` IS NULL;
--> statement-breakpoint
CREATE TRIGGER `erasures_open_only` BEFORE INSERT ON `erasures`
WHEN NEW.`finished_at` IS NOT NULL OR NOT EXISTS (SELECT 1 FROM `cases` WHERE `id` = NEW.`case_id`)
BEGIN SELECT RAISE(ABORT, 'an erasure starts open, for a case that exists'); END;
--> statement-breakpoint
-- Finished once, only when the case is gone, and otherwise never changed.
CREATE TRIGGER `erasures_finish_once` BEFORE UPDATE ON `erasures`
WHEN OLD.`finished_at` IS NOT NULL OR NEW.`finished_at` IS NULL
  OR NEW.`id` IS NOT OLD.`id` OR NEW.`case_id` IS NOT OLD.`case_id` OR NEW.`under` IS NOT OLD.`under`
  OR NEW.`reason` IS NOT OLD.`reason` OR NEW.`by` IS NOT OLD.`by` OR NEW.`started_at` IS NOT OLD.`started_at`
  OR EXISTS (SELECT 1 FROM `cases` WHERE `id` = OLD.`case_id`)
BEGIN SELECT RAISE(ABORT, 'an erasure is finished once, when the case is gone, and never changed'); END;
--> statement-breakpoint
CREATE TRIGGER `erasures_no_delete` BEFORE DELETE ON `erasures`
BEGIN SELECT RAISE(ABORT, 'erasures are the record of what was removed: never deleted'); END;
