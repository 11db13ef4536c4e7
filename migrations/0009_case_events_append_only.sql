-- Custom SQL migration file, put your code below! --
-- What happened to a case is the record: append-only, like the practice events.
CREATE TRIGGER `case_events_no_update` BEFORE UPDATE ON `case_events`
BEGIN SELECT RAISE(ABORT, 'case_events is append-only: record a correction instead'); END;
--> statement-breakpoint
CREATE TRIGGER `case_events_no_delete` BEFORE DELETE ON `case_events`
BEGIN SELECT RAISE(ABORT, 'case_events is append-only: record a correction instead'); END;
--> statement-breakpoint
-- Closes and reopens made before case events existed, from the audit trail (which kept the outcome,
-- not the note; the note of a case still closed is on its row).
INSERT INTO `case_events` (`case_id`, `kind`, `on`, `at`, `by`, `surface`, `detail`)
SELECT a.`case_id`,
       CASE a.`action` WHEN 'close' THEN 'closed' ELSE 'reopened' END,
       COALESCE(json_extract(a.`detail`, '$.closedOn'), substr(a.`at`, 1, 10)),
       a.`at`, a.`actor_id`, a.`surface`,
       CASE a.`action`
         WHEN 'close' THEN json_object('outcome', json_extract(a.`detail`, '$.outcome'),
                                       'note', NULL,
                                       'closedOn', json_extract(a.`detail`, '$.closedOn'))
         ELSE json_object('outcome', json_extract(a.`detail`, '$.outcome'),
                          'closedOn', json_extract(a.`detail`, '$.closedOn'))
       END
FROM `audit` a
WHERE a.`action` IN ('close', 'reopen') AND a.`case_id` IS NOT NULL
ORDER BY a.`id`;
