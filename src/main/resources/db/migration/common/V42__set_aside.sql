-- An input the service could not work on (a bug, bad stored data) is set aside, not dropped: marked
-- worked (processed_at) and recorded here, in the transaction that adds its timeline line, so /ops
-- lists it (needs attention, input_set_aside) and POST /api/cases/{ticketId}/retry puts it back
-- (processed_at and set_aside_at null again) without reading the timeline's wording.
alter table inbox add column set_aside_at timestamp with time zone;
alter table inbox add column set_aside_reason varchar(2000);
create index inbox_set_aside on inbox (set_aside_at);

-- Inputs set aside before this version are known only by their timeline line, written at the moment
-- the input was marked worked, and not retried since: they stay listed (and retryable) after it.
update inbox set set_aside_at = processed_at,
  set_aside_reason = 'set aside before the service recorded why (see the case''s timeline)'
where processed_at is not null and exists (
  select 1 from case_history x
  where x.ticket_id = inbox.ticket_id and x.step is null and x.at = inbox.processed_at
    and x.text like 'An input (' || replace(inbox.kind, '_', ' ') || ') could not be worked on and was set aside%'
    and not exists (
      select 1 from case_history y
      where y.ticket_id = x.ticket_id and y.step is null and y.id > x.id
        and y.text like 'Retry asked from /ops%'));
