-- Custom SQL migration file, put your code below! --
-- Practice events are the record: append-only. An undo is a new retraction event, never an edit.
CREATE TRIGGER `practice_events_no_update` BEFORE UPDATE ON `practice_events`
BEGIN SELECT RAISE(ABORT, 'practice_events is append-only: record a retraction instead'); END;
--> statement-breakpoint
CREATE TRIGGER `practice_events_no_delete` BEFORE DELETE ON `practice_events`
BEGIN SELECT RAISE(ABORT, 'practice_events is append-only: record a retraction instead'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_no_update` BEFORE UPDATE ON `audit`
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_no_delete` BEFORE DELETE ON `audit`
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
