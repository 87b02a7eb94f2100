-- hearth schema, version 4: what each member's standing is judged from.
--
-- New, lapsed, regular and core depend on the date as well as on the
-- activities. To judge them again when only the date moved on (the daily
-- refresh) without reading a single activity, member_stats keeps, next to
-- what the directory shows, the member's history that no date changes
-- (model.History):
--
--  * kinds: activities per kind, "comment:3,commit:12", by kind;
--  * first_contrib, last_contrib (Unix seconds) and first_contrib_kind;
--  * contrib_months: the months with contributions, as month numbers
--    (year*12 + month-1, UTC), ascending: the first in full, then each as
--    its distance from the one before ("24300,1,4" is 24300, 24301, 24305);
--  * steward_months: reviews and merges of others' work per month, the
--    same way, month:count ("24300:5,1:3" is 5 in 24300, 3 in 24301).
--
-- Rows written before version 4 have none of it. They are rewritten by the next
-- sync's refresh, a full one: its summary has no "rules" key yet, which the
-- refresh reads as definitions that changed.
ALTER TABLE member_stats ADD COLUMN kinds TEXT NOT NULL DEFAULT '';
ALTER TABLE member_stats ADD COLUMN first_contrib INTEGER;
ALTER TABLE member_stats ADD COLUMN last_contrib INTEGER;
ALTER TABLE member_stats ADD COLUMN first_contrib_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE member_stats ADD COLUMN contrib_months TEXT NOT NULL DEFAULT '';
ALTER TABLE member_stats ADD COLUMN steward_months TEXT NOT NULL DEFAULT '';
