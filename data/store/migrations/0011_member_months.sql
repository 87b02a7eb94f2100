-- hearth schema, version 11: each member's activity by month, for the
-- health figures.
--
--  * member_months holds one row per member (bots' identities left out):
--    how many activities they have, the first and the last, and in
--    "months" every activity grouped by calendar month, encoded compactly
--    (see data/store/member_months.go). The health report reads these
--    100,000 rows instead of millions of activities: at 100,000 members
--    reading its input went from about 6.5 s to a few hundred ms
--    (BenchmarkHealthInput100k). It is derived like member_stats: the
--    sync's refresh rewrites the rows of the members it touched.
--  * Databases that already hold activities get it on their next refresh:
--    every member is marked dirty here, which makes that refresh a full
--    one, and until then the health report reads the activities.
CREATE TABLE member_months (
    member_id  INTEGER PRIMARY KEY, -- members.id
    activities INTEGER NOT NULL,
    first_at   INTEGER NOT NULL,    -- Unix seconds
    last_at    INTEGER NOT NULL,
    months     BLOB NOT NULL
);
INSERT OR IGNORE INTO dirty_members(id) SELECT id FROM members;
