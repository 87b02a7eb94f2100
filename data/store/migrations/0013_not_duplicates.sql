-- hearth schema, version 13: "not the same person".
--
--  * not_duplicates: pairs of identities ("source:external_id" each, by
--    their stable keys) a person said are two people, so that the list of
--    possible duplicates (store.Duplicates) stops offering their members
--    as one. User-authored like identity_links: written only through the
--    journaled writer, exported and imported with the user data, never
--    written by sync. The pair is stored in key order (a before b), so
--    that saying it twice, either way round, is one row.
CREATE TABLE not_duplicates (
    a_source      TEXT NOT NULL,
    a_external_id TEXT NOT NULL,
    b_source      TEXT NOT NULL,
    b_external_id TEXT NOT NULL,
    created       INTEGER NOT NULL,
    PRIMARY KEY (a_source, a_external_id, b_source, b_external_id)
) WITHOUT ROWID;

--  * identities.former_member: the member an identity had before a manual
--    merge (store.Writer.MergeMembers) joined its member to another, so
--    that when the merge is undone (or the identity split off) its group
--    gets that id back rather than a new one, and the member list is as it
--    was. -1 marks an identity split off its member (SplitIdentity): the
--    member keeps its id for the identities that stay. A hint for the
--    people merge only: set by MergeMembers and SplitIdentity, cleared when
--    the identity returns to that member (or leaves, for -1), ignored once
--    another member holds the id. Sync never writes it.
ALTER TABLE identities ADD COLUMN former_member INTEGER;
