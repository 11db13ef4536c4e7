-- Custom SQL migration file, put your code below! --
-- The coverage and "stuck since" upkeep of 0001_guarantees, kept to the same rules but cheaper on a
-- log, the write that runs most (measured with EXPLAIN ANALYZE of a log's update of its case, on a
-- fsync'd PostgreSQL 15: the coverage trigger was 0.17 ms of the statement's 0.20 ms).
--
-- Why it cost that much: on every firing it called `sos_done_slots` (a SQL function that cannot be
-- inlined, so planned afresh on each call, casting the text to jsonb twice) for both versions of the
-- row, then `sos_coverage_add` (also planned on each call) twice, with empty arrays when no slot's
-- done-ness had changed, which is most logs (a second entry on an element already done).
--
-- Now: an entry on an open case that stays put parses each version once and compares the slots in
-- plpgsql, where expressions are planned once a session; nothing is written when no slot's
-- done-ness changed, and one INSERT otherwise. Inserts, deletes, moves, closes and reopens (rare) go
-- the way they went. And the triggers carry WHEN clauses, so an update that changes nothing either
-- reads (a version bump, a stuck-since write) does not call plpgsql at all.

CREATE OR REPLACE FUNCTION sos_cases_coverage() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before_states jsonb;
  after_states jsonb;
  was_done boolean;
  is_done boolean;
  gained integer[] := '{}';
  lost integer[] := '{}';
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = 'open' AND NEW.status = 'open'
     AND OLD.team_id = NEW.team_id AND OLD.service = NEW.service THEN
    IF OLD.states IS NOT DISTINCT FROM NEW.states THEN RETURN NULL; END IF;
    -- The same reading as sos_done_slots: a slot is done when it holds an array; anything but an
    -- array (the `{}` a raw insert leaves) has no slot done.
    before_states := OLD.states::jsonb;
    after_states := NEW.states::jsonb;
    IF jsonb_typeof(before_states) <> 'array' THEN before_states := '[]'; END IF;
    IF jsonb_typeof(after_states) <> 'array' THEN after_states := '[]'; END IF;
    FOR slot IN 0 .. greatest(jsonb_array_length(before_states), jsonb_array_length(after_states)) - 1 LOOP
      was_done := coalesce(jsonb_typeof(before_states -> slot) = 'array', false);
      is_done := coalesce(jsonb_typeof(after_states -> slot) = 'array', false);
      IF is_done AND NOT was_done THEN gained := gained || slot;
      ELSIF was_done AND NOT is_done THEN lost := lost || slot;
      END IF;
    END LOOP;
    IF cardinality(gained) = 0 AND cardinality(lost) = 0 THEN RETURN NULL; END IF;
    -- A slot is in one list or the other, never both, so no row is met twice by the upsert.
    INSERT INTO team_coverage AS kept (team_id, service, element, cases)
    SELECT NEW.team_id, NEW.service, s, 1 FROM unnest(gained) AS s
    UNION ALL
    SELECT NEW.team_id, NEW.service, s, -1 FROM unnest(lost) AS s
    ON CONFLICT (team_id, service, element) DO UPDATE SET cases = kept.cases + EXCLUDED.cases;
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
-- One trigger became two: a WHEN clause may not name OLD on an insert nor NEW on a delete. An update
-- fires it only when a column the counts depend on changed.
DROP TRIGGER cases_coverage ON cases;
--> statement-breakpoint
CREATE TRIGGER cases_coverage AFTER INSERT OR DELETE ON cases
FOR EACH ROW EXECUTE FUNCTION sos_cases_coverage();
--> statement-breakpoint
CREATE TRIGGER cases_coverage_update AFTER UPDATE ON cases
FOR EACH ROW WHEN (OLD.states IS DISTINCT FROM NEW.states OR OLD.status IS DISTINCT FROM NEW.status
  OR OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.service IS DISTINCT FROM NEW.service)
EXECUTE FUNCTION sos_cases_coverage();
--> statement-breakpoint
-- The same condition as the function's own test, so it fires only when a column the stuck rules read
-- changed and there is a stored "stuck since" to make due (setting a null to null changes nothing).
DROP TRIGGER cases_stuck_due ON cases;
--> statement-breakpoint
CREATE TRIGGER cases_stuck_due BEFORE UPDATE ON cases
FOR EACH ROW WHEN (NEW.stuck_for IS NOT NULL AND (NEW.states IS DISTINCT FROM OLD.states
  OR NEW.service IS DISTINCT FROM OLD.service OR NEW.service_since IS DISTINCT FROM OLD.service_since
  OR NEW.opened_on IS DISTINCT FROM OLD.opened_on OR NEW.status IS DISTINCT FROM OLD.status))
EXECUTE FUNCTION sos_cases_stuck_due();
