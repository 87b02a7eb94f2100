-- hearth schema, version 14: the summary's counts from an index.
--
--  * member_stats_summary covers every column the summary counts
--    (writeSummary), so rewriting the summary after a write that touched
--    one member reads this narrow index instead of 100,000 wide rows with
--    their evidence and topics.
CREATE INDEX member_stats_summary ON member_stats(stage, is_new, is_lapsed, bot, activities);
