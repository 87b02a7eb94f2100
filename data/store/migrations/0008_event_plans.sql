-- hearth schema, version 8: events planned by hand.
--
--  * events gain what a plan needs and a feed never sends: the time zone
--    the event is planned in (an IANA name, '' for UTC or unknown), when
--    the call for papers opens, and the capacity (NULL: not set).
--  * version on planned events and on every plan row (speakers, tasks,
--    budget lines, attendees): an edit states the version it read, and a
--    record whose version moved on since is not overwritten.
ALTER TABLE events ADD COLUMN tz TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN cfp_opens INTEGER;
ALTER TABLE events ADD COLUMN capacity INTEGER;
ALTER TABLE events ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE event_speakers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE event_tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE event_budget ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE event_attendees ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
