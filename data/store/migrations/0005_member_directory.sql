-- hearth schema, version 5: the member directory read from one index.
--
-- The directory (Members, TopMembers, SearchMembers) reads the members who
-- are not bots, most active first. member_stats_rank gives that order but
-- makes SQLite look up each row in the table by member_id, a B-tree search
-- per member. This partial index holds every column the directory reads
-- (all but the evidence, which only the detail page shows), in the
-- directory's order, so reading it is one sequential walk of the index that
-- never touches the table. With the slice sized from the summary, loading
-- 100,000 members went from about 490 ms to 240 ms (and to 195 ms with the
-- fewer columns of store.directoryCols; BenchmarkMembersLoad100k in ui).
-- It takes about 60% of member_stats' space, and is derived like it.
CREATE INDEX member_stats_directory ON member_stats(
    activities DESC, member_id,
    name, org, handles, emails, bot, stage, is_new, is_lapsed,
    contributions, first_active, last_active, topics
) WHERE bot = 0;
