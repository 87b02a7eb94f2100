-- hearth schema, version 7: writes by hand, safely.
--
--  * journal: every change a person makes to a user-authored table, one
--    row per record changed: who (actor), when (at, the store's clock),
--    what (tbl and key, the record's stable key as JSON) and the record
--    before and after as JSON (NULL: the record did not exist). Entries
--    written by one write share "change", the id of its first entry.
--    Undo restores "before" of every entry of the newest change that is
--    neither undone nor itself an undo, and records that as a new change
--    whose entries name the change they revert in "undoes". The journal is
--    user data: it is never pruned by sync.
--  * version on the records two people may edit at once (a question's
--    triage, a note): a write states the version it read, and a record
--    whose version moved on since is not overwritten.
CREATE TABLE journal (
    id     INTEGER PRIMARY KEY,
    change INTEGER NOT NULL,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    what   TEXT NOT NULL, -- one line for people: "triage github#12"
    tbl    TEXT NOT NULL,
    key    TEXT NOT NULL,
    before TEXT,
    after  TEXT,
    undoes INTEGER,       -- change this entry reverted
    undone INTEGER NOT NULL DEFAULT 0 -- 1 once an undo reverted it
);
CREATE INDEX journal_change ON journal(change);

ALTER TABLE question_triage ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE member_notes ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
