-- hearth schema, version 9: people who asked to be forgotten.
--
--  * forgotten holds one row per identity erased by `hearth forget`: a
--    one-way hash of its key (see forgetHash), never the key itself, and
--    when. A sync skips identities whose hash is listed here, with their
--    activities and the questions they asked, so that nobody forgotten
--    comes back with the next sync.
CREATE TABLE forgotten (
    hash TEXT PRIMARY KEY,
    at   INTEGER NOT NULL
) WITHOUT ROWID;
