-- hearth schema, version 16: who knew what on a date.
--
-- Derived, like the other expertise tables (see data/store/expertise.go
-- and expertise_months.go), by the same refresh.
--
--  * expertise_months: one row per area and member, the area "" being all
--    their evidence: that cell's work month by month (weights relative to
--    expertise_meta's ref, counts by kind, first and last date), encoded
--    in one blob. `hearth who --before DATE` adds up the months before
--    DATE's month and reads only the activities of that month, instead of
--    every activity before DATE.
--  * expertise_meta gets the key "months" once a rebuild of the expertise
--    tables has filled the table. A database migrated from before has no
--    such key: its next refresh rebuilds expertise (newExpertiseFeed), and
--    until then a query with --before reads the activities.
CREATE TABLE expertise_months (
    area      TEXT NOT NULL,
    member_id INTEGER NOT NULL,
    months    BLOB NOT NULL,
    PRIMARY KEY (area, member_id)
) WITHOUT ROWID;
CREATE INDEX expertise_months_member ON expertise_months(member_id);
