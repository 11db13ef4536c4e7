-- Custom SQL migration file, put your code below! --
-- The guarantees the SQLite store's triggers keep (migrations/0001, 0007, 0009, 0012, 0015), in
-- plpgsql: the record is append-only, records leave only through an open erasure, the agency never
-- changes, and coverage counts and "stuck since" are kept by the database however a case changes.

-- Refuses the statement with the sentence given (the trigger's argument).
CREATE FUNCTION sos_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
-- Whether an erasure of this case is open: the one sanctioned path for its rows to be deleted.
CREATE FUNCTION sos_erasing(case_id text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM erasures e WHERE e.case_id = $1 AND e.finished_at IS NULL)
$$;
--> statement-breakpoint
-- A delete of a case's row is let through only while that case's erasure is open. The column naming
-- the case is the trigger's second argument (`id` on cases, `case_id` elsewhere).
CREATE FUNCTION sos_delete_if_erasing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF sos_erasing(to_jsonb(OLD) ->> TG_ARGV[1]) THEN RETURN OLD; END IF;
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER practice_events_no_update BEFORE UPDATE ON practice_events
FOR EACH ROW EXECUTE FUNCTION sos_refuse('practice_events is append-only: record a retraction instead');
--> statement-breakpoint
CREATE TRIGGER practice_events_no_delete BEFORE DELETE ON practice_events
FOR EACH ROW EXECUTE FUNCTION sos_delete_if_erasing('practice_events is append-only: record a retraction instead', 'case_id');
--> statement-breakpoint
-- TRUNCATE skips row triggers: refused outright on the record's tables.
CREATE TRIGGER practice_events_no_truncate BEFORE TRUNCATE ON practice_events
FOR EACH STATEMENT EXECUTE FUNCTION sos_refuse('practice_events is append-only: record a retraction instead');
--> statement-breakpoint
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
FOR EACH ROW EXECUTE FUNCTION sos_refuse('case_events is append-only: record a correction instead');
--> statement-breakpoint
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
FOR EACH ROW EXECUTE FUNCTION sos_delete_if_erasing('case_events is append-only: record a correction instead', 'case_id');
--> statement-breakpoint
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
FOR EACH STATEMENT EXECUTE FUNCTION sos_refuse('case_events is append-only: record a correction instead');
--> statement-breakpoint
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
FOR EACH ROW EXECUTE FUNCTION sos_refuse('audit is append-only');
--> statement-breakpoint
-- The line saying a case was removed is never removed, not even by a later erasure of the same id.
CREATE FUNCTION sos_audit_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.action <> 'erase' AND OLD.case_id IS NOT NULL AND sos_erasing(OLD.case_id) THEN RETURN OLD; END IF;
  RAISE EXCEPTION 'audit is append-only' USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION sos_audit_delete();
--> statement-breakpoint
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
FOR EACH STATEMENT EXECUTE FUNCTION sos_refuse('audit is append-only');
--> statement-breakpoint
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
FOR EACH ROW EXECUTE FUNCTION sos_delete_if_erasing('cases are removed only by sos retention or sos erase', 'id');
--> statement-breakpoint
CREATE TRIGGER cases_no_truncate BEFORE TRUNCATE ON cases
FOR EACH STATEMENT EXECUTE FUNCTION sos_refuse('cases are removed only by sos retention or sos erase');
--> statement-breakpoint
CREATE TRIGGER allocations_no_update BEFORE UPDATE ON allocations
FOR EACH ROW EXECUTE FUNCTION sos_refuse('allocations are the transfer history: record a new allocation instead');
--> statement-breakpoint
CREATE TRIGGER allocations_no_delete BEFORE DELETE ON allocations
FOR EACH ROW EXECUTE FUNCTION sos_delete_if_erasing('allocations are the transfer history: removed only by sos retention or sos erase', 'case_id');
--> statement-breakpoint
CREATE TRIGGER allocations_no_truncate BEFORE TRUNCATE ON allocations
FOR EACH STATEMENT EXECUTE FUNCTION sos_refuse('allocations are the transfer history: removed only by sos retention or sos erase');
--> statement-breakpoint
-- The agency a database belongs to never changes, and its row is never removed.
CREATE FUNCTION sos_meta_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.agency_id IS DISTINCT FROM OLD.agency_id THEN
    RAISE EXCEPTION 'the agency a database belongs to does not change' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER meta_agency_fixed BEFORE UPDATE ON meta FOR EACH ROW EXECUTE FUNCTION sos_meta_update();
--> statement-breakpoint
CREATE TRIGGER meta_no_delete BEFORE DELETE ON meta
FOR EACH ROW EXECUTE FUNCTION sos_refuse('the agency a database belongs to is never removed');
--> statement-breakpoint
-- One erasure at a time, opened for a case that exists; finished once, when the case is gone.
CREATE UNIQUE INDEX erasures_one_open ON erasures ((finished_at IS NULL)) WHERE finished_at IS NULL;
--> statement-breakpoint
CREATE FUNCTION sos_erasure_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.finished_at IS NOT NULL OR NOT EXISTS (SELECT 1 FROM cases WHERE id = NEW.case_id) THEN
    RAISE EXCEPTION 'an erasure starts open, for a case that exists' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER erasures_open_only BEFORE INSERT ON erasures FOR EACH ROW EXECUTE FUNCTION sos_erasure_insert();
--> statement-breakpoint
CREATE FUNCTION sos_erasure_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.finished_at IS NOT NULL OR NEW.finished_at IS NULL
     OR NEW.id IS DISTINCT FROM OLD.id OR NEW.case_id IS DISTINCT FROM OLD.case_id
     OR NEW.under IS DISTINCT FROM OLD.under OR NEW.reason IS DISTINCT FROM OLD.reason
     OR NEW."by" IS DISTINCT FROM OLD."by" OR NEW.started_at IS DISTINCT FROM OLD.started_at
     OR EXISTS (SELECT 1 FROM cases WHERE id = OLD.case_id) THEN
    RAISE EXCEPTION 'an erasure is finished once, when the case is gone, and never changed'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER erasures_finish_once BEFORE UPDATE ON erasures FOR EACH ROW EXECUTE FUNCTION sos_erasure_update();
--> statement-breakpoint
CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures
FOR EACH ROW EXECUTE FUNCTION sos_refuse('erasures are the record of what was removed: never deleted');
--> statement-breakpoint
CREATE TRIGGER erasures_no_truncate BEFORE TRUNCATE ON erasures
FOR EACH STATEMENT EXECUTE FUNCTION sos_refuse('erasures are the record of what was removed: never deleted');
--> statement-breakpoint
-- The slots of a stored projection (states-format.ts) that have an element done: those holding an
-- array. The `{}` a raw insert leaves has none.
CREATE FUNCTION sos_done_slots(states text) RETURNS integer[] LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg((e.ord - 1)::integer ORDER BY e.ord), '{}')
  FROM jsonb_array_elements(CASE WHEN jsonb_typeof($1::jsonb) = 'array' THEN $1::jsonb ELSE '[]'::jsonb END)
       WITH ORDINALITY AS e(v, ord)
  WHERE jsonb_typeof(e.v) = 'array'
$$;
--> statement-breakpoint
CREATE FUNCTION sos_coverage_add(team text, svc text, slots integer[], delta integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO team_coverage (team_id, service, element, cases)
  SELECT $1, $2, s, $4 FROM unnest($3) AS s
  ON CONFLICT (team_id, service, element) DO UPDATE SET cases = team_coverage.cases + EXCLUDED.cases
$$;
--> statement-breakpoint
-- Coverage per team and service (element -1: the open cases; n: those with slot n done), kept on
-- every insert, delete and update of a case: a case that moves, closes or reopens leaves where it
-- was and counts where it is; an entry on an open case that stays put moves only the slots whose
-- done-ness changed.
CREATE FUNCTION sos_cases_coverage() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before_slots integer[];
  after_slots integer[];
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = 'open' AND NEW.status = 'open'
     AND OLD.team_id = NEW.team_id AND OLD.service = NEW.service THEN
    IF OLD.states IS NOT DISTINCT FROM NEW.states THEN RETURN NULL; END IF;
    before_slots := sos_done_slots(OLD.states);
    after_slots := sos_done_slots(NEW.states);
    PERFORM sos_coverage_add(NEW.team_id, NEW.service,
      ARRAY(SELECT unnest(after_slots) EXCEPT SELECT unnest(before_slots)), 1);
    PERFORM sos_coverage_add(NEW.team_id, NEW.service,
      ARRAY(SELECT unnest(before_slots) EXCEPT SELECT unnest(after_slots)), -1);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'open' THEN
    PERFORM sos_coverage_add(OLD.team_id, OLD.service, array_prepend(-1, sos_done_slots(OLD.states)), -1);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'open' THEN
    PERFORM sos_coverage_add(NEW.team_id, NEW.service, array_prepend(-1, sos_done_slots(NEW.states)), 1);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cases_coverage AFTER INSERT OR UPDATE OR DELETE ON cases
FOR EACH ROW EXECUTE FUNCTION sos_cases_coverage();
--> statement-breakpoint
-- "Stuck since" is worked out under the config (src/store/stuck-since.ts); anything its rules read
-- changing makes it due again, however the change was made.
CREATE FUNCTION sos_cases_stuck_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.states IS DISTINCT FROM OLD.states OR NEW.service IS DISTINCT FROM OLD.service
     OR NEW.service_since IS DISTINCT FROM OLD.service_since OR NEW.opened_on IS DISTINCT FROM OLD.opened_on
     OR NEW.status IS DISTINCT FROM OLD.status THEN
    NEW.stuck_for := NULL;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER cases_stuck_due BEFORE UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION sos_cases_stuck_due();
--> statement-breakpoint
-- The latest day anything was ever recorded as happening: a coverage read for an earlier day knows
-- whether the kept counts may hold entries after it.
CREATE FUNCTION sos_latest_on() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE derived SET latest_on = NEW.occurred_on
  WHERE id = 1 AND (latest_on IS NULL OR latest_on < NEW.occurred_on);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER practice_events_latest_on AFTER INSERT ON practice_events
FOR EACH ROW WHEN (NEW.occurred_on IS NOT NULL) EXECUTE FUNCTION sos_latest_on();
--> statement-breakpoint
INSERT INTO derived (id, stuck_generation, stuck_fingerprint, latest_on) VALUES (1, 0, NULL, NULL);
