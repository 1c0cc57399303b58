"""The monthly partnership meeting (issue 15, item 5): a series of meetings run under an
information sharing agreement, an agenda built from Safehold (sections registered in
`safehold.meetings.agenda`), cases flagged for a meeting and disclosed to the attending
agencies, minutes per item for the attendees' agencies, actions carried over until done, and a
meeting pack per agency holding only what that agency may see (ADR 0042)."""
