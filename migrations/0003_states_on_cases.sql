-- The dashboard projection moves from one row per case and element to one JSON value per case
-- (cases.states), so a dashboard reads one row per case. Existing projection rows are carried over.
ALTER TABLE `cases` ADD `states` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
UPDATE `cases` SET `states` = (
	SELECT json_group_object(s.`element`, json_object('count', s.`count`, 'firstOn', s.`first_on`, 'lastOn', s.`last_on`, 'lastValue', s.`last_value`))
	FROM `element_states` s WHERE s.`case_id` = `cases`.`id`
) WHERE EXISTS (SELECT 1 FROM `element_states` s WHERE s.`case_id` = `cases`.`id`);--> statement-breakpoint
DROP TABLE `element_states`;
