-- hearth schema, version 12: who knows what.
--
--  * activities.paths keeps the files an activity touched ("\n"-separated,
--    at most model.MaxActivityPaths), so expertise can name directories
--    and files, not only the topics derived from them.
--
-- Derived, like member_stats (see data/store/expertise.go): rewritten
-- from activities and member_tags by every refresh, for the members it
-- refreshes, so that `hearth who` reads a few areas' rows and never
-- aggregates activities.
--
--  * expertise: one row per area and member. An area is a directory
--    ("net/tls/"), a file ("net/tls/conn.go") or a topic ("topic:storage").
--    weight sums kind weight × 2^((at − ref) / half-life) with ref and the
--    half-life in expertise_meta, so rows written at different times add
--    up; fixed is the weight of tags given by hand, which never decays.
--  * expertise_areas: per area, the sums of weight and fixed over its
--    members, so a query that reads an area's strongest members only
--    still knows each one's share.
--  * expertise_members: per member, the same for all their evidence, and
--    active, their activity decayed with the short activity half-life.
--  * expertise_names: the name of each area (a topic's name; a path's last
--    segment, without its extension, lower-cased), so a query word finds
--    "engine/compaction/", and a query that finds nothing can suggest
--    close names.
--  * expertise_meta: ref, half_life, active_half_life (seconds), and the
--    totals of all members (total, fixed).
ALTER TABLE activities ADD COLUMN paths TEXT NOT NULL DEFAULT '';

CREATE TABLE expertise (
    area      TEXT NOT NULL,
    member_id INTEGER NOT NULL,
    weight    REAL NOT NULL,
    fixed     REAL NOT NULL DEFAULT 0,
    first     INTEGER, -- NULL when only a tag
    last      INTEGER,
    kinds     TEXT NOT NULL DEFAULT '', -- "commit:38,review:1"
    PRIMARY KEY (area, member_id)
) WITHOUT ROWID;
CREATE INDEX expertise_member ON expertise(member_id);
-- A query reads an area's strongest members only (weights of one area
-- share one scale, so the order holds at any date), and its tags.
CREATE INDEX expertise_strongest ON expertise(area, weight DESC);
CREATE INDEX expertise_tagged ON expertise(area) WHERE fixed > 0;

-- Per area, the sums over all its members, kept as members come and go.
CREATE TABLE expertise_areas (
    area    TEXT PRIMARY KEY,
    total   REAL NOT NULL,
    fixed   REAL NOT NULL,
    members INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE expertise_members (
    member_id INTEGER PRIMARY KEY,
    weight    REAL NOT NULL,
    fixed     REAL NOT NULL DEFAULT 0,
    first     INTEGER,
    last      INTEGER,
    kinds     TEXT NOT NULL DEFAULT '',
    active    REAL NOT NULL DEFAULT 0
);
CREATE INDEX expertise_members_active ON expertise_members(active);

CREATE TABLE expertise_names (
    name TEXT NOT NULL,
    area TEXT NOT NULL,
    PRIMARY KEY (name, area)
) WITHOUT ROWID;

CREATE TABLE expertise_meta (
    key   TEXT PRIMARY KEY,
    value REAL NOT NULL
) WITHOUT ROWID;
