-- hearth schema, version 2: which derived rows are out of date.
--
-- A sync writes activities batch by batch but refreshes member_stats and
-- summary once, at the end of the run. What the refresh must redo is kept
-- here, not in memory, so that a run stopped between its batches and its
-- refresh (Ctrl-C, kill, crash) is caught up by the next one:
--
--  * dirty_identities: identities whose activities a batch wrote or removed,
--    added in the batch's own transaction;
--  * dirty_members: members the people merge created, regrouped, renamed or
--    deleted, added in the merge's transaction.
--
-- Rows are deleted only by the transaction that commits the refresh of
-- their members (a full refresh empties both tables). Both tables are
-- derived bookkeeping: deleting them loses nothing a full refresh
-- (RefreshDerived) cannot rebuild.
CREATE TABLE dirty_identities (id INTEGER PRIMARY KEY); -- identities.id
CREATE TABLE dirty_members (id INTEGER PRIMARY KEY);    -- members.id

-- Databases written by version 1 may already hold stale member rows (the
-- bug this table fixes): mark every member, which makes the next sync
-- refresh them all.
INSERT INTO dirty_members(id) SELECT id FROM members;
