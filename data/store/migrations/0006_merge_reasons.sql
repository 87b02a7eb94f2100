-- hearth schema, version 6: people across sources, and why they are one.
--
--  * identities.website: the website a profile names (GitHub's "blog",
--    Discourse's "website"); the people merge joins identities naming the
--    same site, and a GitHub profile whose website is a Discourse profile
--    page (people/sites.go). Written by sync like the other profile
--    fields: an empty value never erases a known one.
--  * member_merge_reasons: for each member of more than one identity, the
--    rules that joined them, one line each in order ("same e-mail
--    ann@x.org", "same website ann.dev", "manual merge"). Written by the
--    merge with each group it saves, derived like members: a full merge
--    rebuilds it.
--
-- The merge key scheme changed (website and account keys), so the next
-- merge regroups everyone and rebuilds identity_keys: the fingerprint of
-- the rules includes the scheme's version.
ALTER TABLE identities ADD COLUMN website TEXT NOT NULL DEFAULT '';

CREATE TABLE member_merge_reasons (
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL, -- order of the reasons of one member, from 0
    reason    TEXT NOT NULL,
    PRIMARY KEY (member_id, position)
) WITHOUT ROWID;

DELETE FROM meta WHERE key = 'people_rules';
