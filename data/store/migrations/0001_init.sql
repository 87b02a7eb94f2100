-- hearth schema, version 1.
--
-- Two kinds of tables live here, and the difference matters more than any
-- other rule of the store:
--
--  * synced data (orgs, members, identities, activities, questions, events
--    with source <> 'hearth', sync_state, http_cache) may be rewritten at will
--    by sync, which is idempotent;
--  * user-authored data (member_notes, member_tags, member_flags,
--    identity_links, question_triage, event_speakers, event_tasks,
--    event_budget, event_attendees, saved_filters, events with
--    source = 'hearth') is never written by sync.
--
-- User-authored rows refer to synced things by their stable text keys
-- (identity source + external id, question source + external id, event UID),
-- never by rowid, and carry no foreign keys to synced tables: re-importing or
-- re-merging synced rows can neither cascade into them nor orphan them.
--
-- Derived tables (member_stats, summary) are recomputed from synced and
-- user data when data is written, so that reading never aggregates
-- activities. Times are Unix seconds (UTC).

CREATE TABLE orgs (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    domains TEXT NOT NULL DEFAULT '' -- comma-separated e-mail domains
);

CREATE TABLE members (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    org_id INTEGER REFERENCES orgs(id) ON DELETE SET NULL,
    bot    INTEGER NOT NULL DEFAULT 0
);

-- One account on one source. (source, external_id) is the natural key:
-- the e-mail for git, the login for GitHub.
CREATE TABLE identities (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    username    TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    url         TEXT NOT NULL DEFAULT '',
    company     TEXT NOT NULL DEFAULT '',
    location    TEXT NOT NULL DEFAULT '',
    bio         TEXT NOT NULL DEFAULT '',
    bot         INTEGER NOT NULL DEFAULT 0,
    member_id   INTEGER REFERENCES members(id) ON DELETE SET NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX identities_member ON identities(member_id);

-- Activities are the big table (millions of rows). The rowid grows with
-- insertion order so bulk loads append; idempotent upserts go through "key",
-- a 64-bit hash of source and external id, whose index holds only integers
-- and stays small enough to live in the page cache. external_id is kept so
-- a connector can reconcile (e.g. commits dropped by a force-push).
CREATE TABLE activities (
    id          INTEGER PRIMARY KEY,
    key         INTEGER NOT NULL,
    source      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    identity_id INTEGER NOT NULL, -- identities.id; no FK: checked by the writer, not per row
    kind        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    channel     TEXT NOT NULL DEFAULT '',
    url         TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    topics      TEXT NOT NULL DEFAULT '' -- comma-separated
);
CREATE UNIQUE INDEX activities_key ON activities(key);
CREATE INDEX activities_identity ON activities(identity_id, at);

CREATE TABLE questions (
    id                INTEGER PRIMARY KEY,
    source            TEXT NOT NULL,
    external_id       TEXT NOT NULL,
    channel           TEXT NOT NULL DEFAULT '',
    url               TEXT NOT NULL DEFAULT '',
    title             TEXT NOT NULL DEFAULT '',
    body              TEXT NOT NULL DEFAULT '',
    author_id         INTEGER, -- identities.id
    created           INTEGER NOT NULL,
    first_response_at INTEGER, -- first reply by someone else, bots excluded
    responder_id      INTEGER, -- identities.id
    accepted          INTEGER NOT NULL DEFAULT 0,
    closed_at         INTEGER,
    topics            TEXT NOT NULL DEFAULT '',
    UNIQUE (source, external_id)
);
-- Unanswered questions, oldest first, without scanning answered ones.
CREATE INDEX questions_unanswered ON questions(created)
    WHERE first_response_at IS NULL AND closed_at IS NULL;

-- Events: synced from iCalendar feeds (source 'ical:<feed>') or planned in
-- hearth (source 'hearth', user-authored: sync never touches those rows).
CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    source       TEXT NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT '',
    place        TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    starts       INTEGER NOT NULL,
    ends         INTEGER,
    cfp_deadline INTEGER,
    cfp_url      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_starts ON events(starts);

-- Per source: where the last sync stopped and how it went.
CREATE TABLE sync_state (
    source       TEXT PRIMARY KEY,
    cursor       TEXT NOT NULL DEFAULT '',
    last_run     INTEGER,
    last_success INTEGER,
    last_error   TEXT NOT NULL DEFAULT '',
    items        INTEGER NOT NULL DEFAULT 0
);

-- Conditional-request validators per URL, so unchanged resyncs cost 304s.
CREATE TABLE http_cache (
    url           TEXT PRIMARY KEY,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT ''
);

-- Derived: one row per member with what the directory shows.
CREATE TABLE member_stats (
    member_id     INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    org           TEXT NOT NULL DEFAULT '',
    handles       TEXT NOT NULL DEFAULT '', -- comma-separated
    emails        TEXT NOT NULL DEFAULT '', -- comma-separated
    bot           INTEGER NOT NULL DEFAULT 0,
    stage         INTEGER NOT NULL DEFAULT 0,
    is_new        INTEGER NOT NULL DEFAULT 0,
    is_lapsed     INTEGER NOT NULL DEFAULT 0,
    activities    INTEGER NOT NULL DEFAULT 0,
    contributions INTEGER NOT NULL DEFAULT 0,
    first_active  INTEGER,
    last_active   INTEGER,
    topics        TEXT NOT NULL DEFAULT '', -- comma-separated, strongest first
    evidence      TEXT NOT NULL DEFAULT ''  -- one line per reason
);
CREATE INDEX member_stats_rank ON member_stats(activities DESC, member_id);

-- Derived counters for the status line and the Funnel tab.
CREATE TABLE summary (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

-- Free-form facts about the database itself ("demo" marks a demo community).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- ---------------------------------------------------------------------------
-- User-authored data. Sync never writes below this line.

CREATE TABLE member_notes (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL, -- identity the note is about
    external_id TEXT NOT NULL,
    body        TEXT NOT NULL,
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL
);
CREATE INDEX member_notes_identity ON member_notes(source, external_id);

CREATE TABLE member_tags (
    source      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    tag         TEXT NOT NULL,
    PRIMARY KEY (source, external_id, tag)
) WITHOUT ROWID;

-- Flags: 'speaker' (willing to speak), 'mentor', 'staff', 'core', 'maintainer'.
CREATE TABLE member_flags (
    source      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    flag        TEXT NOT NULL,
    PRIMARY KEY (source, external_id, flag)
) WITHOUT ROWID;

-- Manual merges ('merge': a and b are one person) and splits ('split': never
-- merge a and b). They win over every automatic rule.
CREATE TABLE identity_links (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
    a_source      TEXT NOT NULL,
    a_external_id TEXT NOT NULL,
    b_source      TEXT NOT NULL,
    b_external_id TEXT NOT NULL,
    created       INTEGER NOT NULL
);

CREATE TABLE question_triage (
    source        TEXT NOT NULL,
    external_id   TEXT NOT NULL,
    assignee      TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT '', -- '', 'snoozed', 'done'
    snoozed_until INTEGER,
    note          TEXT NOT NULL DEFAULT '',
    updated       INTEGER NOT NULL,
    PRIMARY KEY (source, external_id)
) WITHOUT ROWID;

CREATE TABLE event_speakers (
    id         INTEGER PRIMARY KEY,
    event_uid  TEXT NOT NULL,
    name       TEXT NOT NULL,
    member_key TEXT NOT NULL DEFAULT '', -- identity "source:external_id"
    talk       TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'invited'
);
CREATE INDEX event_speakers_event ON event_speakers(event_uid);

CREATE TABLE event_tasks (
    id        INTEGER PRIMARY KEY,
    event_uid TEXT NOT NULL,
    title     TEXT NOT NULL,
    owner     TEXT NOT NULL DEFAULT '',
    due       INTEGER,
    done      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_tasks_event ON event_tasks(event_uid);

CREATE TABLE event_budget (
    id           INTEGER PRIMARY KEY,
    event_uid    TEXT NOT NULL,
    item         TEXT NOT NULL,
    category     TEXT NOT NULL DEFAULT '',
    amount_cents INTEGER NOT NULL,
    currency     TEXT NOT NULL DEFAULT 'EUR'
);
CREATE INDEX event_budget_event ON event_budget(event_uid);

CREATE TABLE event_attendees (
    id         INTEGER PRIMARY KEY,
    event_uid  TEXT NOT NULL,
    name       TEXT NOT NULL,
    member_key TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'registered'
);
CREATE INDEX event_attendees_event ON event_attendees(event_uid);

CREATE TABLE saved_filters (
    name  TEXT PRIMARY KEY,
    tab   TEXT NOT NULL,
    query TEXT NOT NULL
) WITHOUT ROWID;
