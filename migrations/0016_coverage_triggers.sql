-- Custom SQL migration file, put your code below! --
-- The projection in its compact form (src/store/states-format.ts): one array slot per element,
-- 0 or [count, firstOn, lastOn, lastValue].
UPDATE `cases` SET `states` = json_array(
  CASE WHEN json_extract(`states`, '$."mapping-internal".count') > 0 THEN json_array(json_extract(`states`, '$."mapping-internal".count'), json_extract(`states`, '$."mapping-internal".firstOn'), json_extract(`states`, '$."mapping-internal".lastOn'), json_extract(`states`, '$."mapping-internal".lastValue')) ELSE 0 END,
  CASE WHEN json_extract(`states`, '$."mapping-with-family".count') > 0 THEN json_array(json_extract(`states`, '$."mapping-with-family".count'), json_extract(`states`, '$."mapping-with-family".firstOn'), json_extract(`states`, '$."mapping-with-family".lastOn'), json_extract(`states`, '$."mapping-with-family".lastValue')) ELSE 0 END,
  CASE WHEN json_extract(`states`, '$."three-houses".count') > 0 THEN json_array(json_extract(`states`, '$."three-houses".count'), json_extract(`states`, '$."three-houses".firstOn'), json_extract(`states`, '$."three-houses".lastOn'), json_extract(`states`, '$."three-houses".lastValue')) ELSE 0 END,
  CASE WHEN json_extract(`states`, '$."danger-statement".count') > 0 THEN json_array(json_extract(`states`, '$."danger-statement".count'), json_extract(`states`, '$."danger-statement".firstOn'), json_extract(`states`, '$."danger-statement".lastOn'), json_extract(`states`, '$."danger-statement".lastValue')) ELSE 0 END,
  CASE WHEN json_extract(`states`, '$."safety-goal".count') > 0 THEN json_array(json_extract(`states`, '$."safety-goal".count'), json_extract(`states`, '$."safety-goal".firstOn'), json_extract(`states`, '$."safety-goal".lastOn'), json_extract(`states`, '$."safety-goal".lastValue')) ELSE 0 END,
  CASE WHEN json_extract(`states`, '$."safety-scale".count') > 0 THEN json_array(json_extract(`states`, '$."safety-scale".count'), json_extract(`states`, '$."safety-scale".firstOn'), json_extract(`states`, '$."safety-scale".lastOn'), json_extract(`states`, '$."safety-scale".lastValue')) ELSE 0 END,
  CASE WHEN json_extract(`states`, '$."trajectory".count') > 0 THEN json_array(json_extract(`states`, '$."trajectory".count'), json_extract(`states`, '$."trajectory".firstOn'), json_extract(`states`, '$."trajectory".lastOn'), json_extract(`states`, '$."trajectory".lastValue')) ELSE 0 END,
  CASE WHEN json_extract(`states`, '$."words-and-pictures".count') > 0 THEN json_array(json_extract(`states`, '$."words-and-pictures".count'), json_extract(`states`, '$."words-and-pictures".firstOn'), json_extract(`states`, '$."words-and-pictures".lastOn'), json_extract(`states`, '$."words-and-pictures".lastValue')) ELSE 0 END,
  CASE WHEN json_extract(`states`, '$."network".count') > 0 THEN json_array(json_extract(`states`, '$."network".count'), json_extract(`states`, '$."network".firstOn'), json_extract(`states`, '$."network".lastOn'), json_extract(`states`, '$."network".lastValue')) ELSE 0 END,
  CASE WHEN json_extract(`states`, '$."network-meeting".count') > 0 THEN json_array(json_extract(`states`, '$."network-meeting".count'), json_extract(`states`, '$."network-meeting".firstOn'), json_extract(`states`, '$."network-meeting".lastOn'), json_extract(`states`, '$."network-meeting".lastValue')) ELSE 0 END,
  CASE WHEN json_extract(`states`, '$."adult-safety-plan".count') > 0 THEN json_array(json_extract(`states`, '$."adult-safety-plan".count'), json_extract(`states`, '$."adult-safety-plan".firstOn'), json_extract(`states`, '$."adult-safety-plan".lastOn'), json_extract(`states`, '$."adult-safety-plan".lastValue')) ELSE 0 END,
  CASE WHEN json_extract(`states`, '$."child-safety-plan".count') > 0 THEN json_array(json_extract(`states`, '$."child-safety-plan".count'), json_extract(`states`, '$."child-safety-plan".firstOn'), json_extract(`states`, '$."child-safety-plan".lastOn'), json_extract(`states`, '$."child-safety-plan".lastValue')) ELSE 0 END
) WHERE json_type(`states`) = 'object';
--> statement-breakpoint
-- Coverage per team and service kept by the database itself, so every way a case changes (a
-- command, an import, a rebuild of the projection) keeps it right. Element -1 counts the open
-- cases; element n, those with slot n done.
CREATE TRIGGER `cases_coverage_insert` AFTER INSERT ON `cases` WHEN new.`status` = 'open'
BEGIN
  INSERT INTO `team_coverage` (`team_id`, `service`, `element`, `cases`)
  SELECT new.`team_id`, new.`service`, -1, 1
  UNION ALL
  SELECT new.`team_id`, new.`service`, j.`key`, 1 FROM json_each(new.`states`) j WHERE json_type(j.`value`) = 'array'
  ON CONFLICT (`team_id`, `service`, `element`) DO UPDATE SET `cases` = `cases` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `cases_coverage_delete` AFTER DELETE ON `cases` WHEN old.`status` = 'open'
BEGIN
  UPDATE `team_coverage` SET `cases` = `cases` - 1
  WHERE `team_id` = old.`team_id` AND `service` = old.`service`
    AND (`element` = -1 OR `element` IN (SELECT j.`key` FROM json_each(old.`states`) j WHERE json_type(j.`value`) = 'array'));
END;
--> statement-breakpoint
-- A case that moves team or service, closes or reopens: out of where it was, into where it is.
CREATE TRIGGER `cases_coverage_move` AFTER UPDATE OF `team_id`, `service`, `status`, `states` ON `cases`
WHEN old.`team_id` IS NOT new.`team_id` OR old.`service` IS NOT new.`service` OR old.`status` IS NOT new.`status`
BEGIN
  UPDATE `team_coverage` SET `cases` = `cases` - 1
  WHERE old.`status` = 'open' AND `team_id` = old.`team_id` AND `service` = old.`service`
    AND (`element` = -1 OR `element` IN (SELECT j.`key` FROM json_each(old.`states`) j WHERE json_type(j.`value`) = 'array'));
  INSERT INTO `team_coverage` (`team_id`, `service`, `element`, `cases`)
  SELECT new.`team_id`, new.`service`, -1, 1 WHERE new.`status` = 'open'
  UNION ALL
  SELECT new.`team_id`, new.`service`, j.`key`, 1 FROM json_each(new.`states`) j
  WHERE new.`status` = 'open' AND json_type(j.`value`) = 'array'
  ON CONFLICT (`team_id`, `service`, `element`) DO UPDATE SET `cases` = `cases` + 1;
END;
--> statement-breakpoint
-- An entry or an undo on an open case that stays where it is: only the slots whose done-ness changed.
CREATE TRIGGER `cases_coverage_states` AFTER UPDATE OF `states` ON `cases`
WHEN old.`status` = 'open' AND new.`status` = 'open' AND old.`team_id` = new.`team_id` AND old.`service` = new.`service`
BEGIN
  INSERT INTO `team_coverage` (`team_id`, `service`, `element`, `cases`)
  SELECT new.`team_id`, new.`service`, n.`key`, 1 FROM json_each(new.`states`) n
  WHERE json_type(n.`value`) = 'array' AND json_type(old.`states`, '$[' || n.`key` || ']') IS NOT 'array'
  ON CONFLICT (`team_id`, `service`, `element`) DO UPDATE SET `cases` = `cases` + 1;
  UPDATE `team_coverage` SET `cases` = `cases` - 1
  WHERE `team_id` = new.`team_id` AND `service` = new.`service`
    AND `element` IN (SELECT o.`key` FROM json_each(old.`states`) o
                      WHERE json_type(o.`value`) = 'array' AND json_type(new.`states`, '$[' || o.`key` || ']') IS NOT 'array');
END;
--> statement-breakpoint
-- "Stuck since" is worked out under the config (src/store/stuck-since.ts); anything its rules read
-- changing makes it due again, however the change was made.
CREATE TRIGGER `cases_stuck_due` AFTER UPDATE OF `states`, `service`, `service_since`, `opened_on`, `status` ON `cases`
WHEN new.`stuck_for` IS NOT NULL
BEGIN
  UPDATE `cases` SET `stuck_for` = NULL WHERE `rowid` = new.`rowid`;
END;
--> statement-breakpoint
-- The latest day anything was ever recorded as happening: a coverage read for an earlier day knows
-- whether the kept counts may hold entries after it.
CREATE TRIGGER `practice_events_latest_on` AFTER INSERT ON `practice_events`
WHEN new.`occurred_on` IS NOT NULL
BEGIN
  UPDATE `derived` SET `latest_on` = new.`occurred_on`
  WHERE `id` = 1 AND (`latest_on` IS NULL OR `latest_on` < new.`occurred_on`);
END;
--> statement-breakpoint
INSERT INTO `derived` (`id`, `stuck_generation`, `stuck_fingerprint`, `latest_on`)
VALUES (1, 0, NULL, (SELECT max(`occurred_on`) FROM `practice_events`));
--> statement-breakpoint
INSERT INTO `team_coverage` (`team_id`, `service`, `element`, `cases`)
SELECT `team_id`, `service`, -1, count(*) FROM `cases` WHERE `status` = 'open' GROUP BY `team_id`, `service`
UNION ALL
SELECT c.`team_id`, c.`service`, j.`key`, count(*) FROM `cases` c, json_each(c.`states`) j
WHERE c.`status` = 'open' AND json_type(j.`value`) = 'array'
GROUP BY c.`team_id`, c.`service`, j.`key`;
