-- Look, then lock, then decide (issue 8, part 1): a case is read and its outside lookups are made
-- without a lock; the decision is stored only if the case has not moved since (same version).
alter table cases add column version bigint default 0 not null;

-- A Zendesk update being sent is leased, not row-locked, while Zendesk answers: another sender
-- leaves it alone until the lease ends (then it first looks for the note, as after any unknown
-- outcome).
alter table writes add column lease_until timestamp with time zone;
-- Which send holds the lease: a sender confirms its own token just before the call, so one whose
-- lease ran out while it was paused does not send after another took over.
alter table writes add column lease_token varchar(40);
