-- hearth schema, version 15: notes, tags and flags back on their chat
-- accounts.
--
-- A note, tag or flag written on an identity whose external id holds a
-- colon (a chat id such as "@ann:example.org") was once stored under the
-- key split at its last colon: source "chat:@ann", external id
-- "example.org", a key nothing reads. An identity's source is a
-- connector's name and never holds a colon, so every such row moves to
-- the key split at its first colon: source "chat", external id
-- "@ann:example.org". A tag or flag already there stays once.
INSERT OR IGNORE INTO member_tags (source, external_id, tag)
    SELECT substr(source, 1, instr(source, ':') - 1),
           substr(source, instr(source, ':') + 1) || ':' || external_id, tag
    FROM member_tags WHERE instr(source, ':') > 0;
DELETE FROM member_tags WHERE instr(source, ':') > 0;

INSERT OR IGNORE INTO member_flags (source, external_id, flag)
    SELECT substr(source, 1, instr(source, ':') - 1),
           substr(source, instr(source, ':') + 1) || ':' || external_id, flag
    FROM member_flags WHERE instr(source, ':') > 0;
DELETE FROM member_flags WHERE instr(source, ':') > 0;

-- Both sides of SET read the row as it was.
UPDATE member_notes
    SET source = substr(source, 1, instr(source, ':') - 1),
        external_id = substr(source, instr(source, ':') + 1) || ':' || external_id
    WHERE instr(source, ':') > 0;
