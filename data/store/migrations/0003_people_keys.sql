-- hearth schema, version 3: a people merge proportional to what changed.
--
-- The merge used to regroup every identity after every sync, weighting
-- each by a count of all activities. It now regroups only the identities a
-- sync added or changed and everything connected to them, found through
-- these tables:
--
--  * identities.activities: how many activities the identity has, kept by
--    the batch writer (insert, removal, an activity changing hands) and
--    the bulk loader; the merge's weight for names and organisations;
--  * identity_keys: the merge keys of each identity (normalised e-mail,
--    GitHub login, its own folded key; see people.Keys), written by the
--    merge, so that what shares a key with a changed identity is found by
--    index lookups;
--  * dirty_people: identities whose merge input changed (new, changed
--    fields, changed activity count, named by a new or deleted link),
--    marked in the transaction that changed them;
--  * dirty_groups: members that lost an identity to a removal.
--
-- Both dirty tables are emptied by the merge that regroups them. meta
-- 'people_rules' holds the fingerprint of the rules of the last full merge;
-- when the config's rules differ (or it is missing, as after this
-- migration), the next merge regroups everyone and rebuilds identity_keys.
-- All of it is derived bookkeeping: a full merge rebuilds it.
ALTER TABLE identities ADD COLUMN activities INTEGER NOT NULL DEFAULT 0;
UPDATE identities SET activities = c.n
    FROM (SELECT identity_id, count(*) AS n FROM activities GROUP BY identity_id) AS c
    WHERE c.identity_id = identities.id;

CREATE TABLE identity_keys (
    key         TEXT NOT NULL,
    identity_id INTEGER NOT NULL, -- identities.id
    PRIMARY KEY (key, identity_id)
) WITHOUT ROWID;
CREATE INDEX identity_keys_identity ON identity_keys(identity_id);

CREATE TABLE dirty_people (id INTEGER PRIMARY KEY); -- identities.id
CREATE TABLE dirty_groups (id INTEGER PRIMARY KEY); -- members.id

-- An organisation left without members is found without a scan.
CREATE INDEX members_org ON members(org_id);

DELETE FROM meta WHERE key = 'people_rules';
