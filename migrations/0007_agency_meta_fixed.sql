-- Custom SQL migration file, put your code below! --
-- The agency a database belongs to is what stops another agency's config rewriting its staff: once
-- recorded it never changes, and the row is never removed.
CREATE TRIGGER `meta_agency_fixed` BEFORE UPDATE OF `agency_id` ON `meta`
WHEN NEW.`agency_id` IS NOT OLD.`agency_id`
BEGIN SELECT RAISE(ABORT, 'the agency a database belongs to does not change'); END;
--> statement-breakpoint
CREATE TRIGGER `meta_no_delete` BEFORE DELETE ON `meta`
BEGIN SELECT RAISE(ABORT, 'the agency a database belongs to is never removed'); END;
