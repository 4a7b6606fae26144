-- An input the service could not work on (a bug, bad stored data) is set aside, not dropped: marked
-- worked (processed_at) and recorded here, in the transaction that adds its timeline line, so /ops
-- lists it (needs attention, input_set_aside) and POST /api/cases/{ticketId}/retry puts it back
-- (processed_at and set_aside_at null again) without reading the timeline's wording.
alter table inbox add column set_aside_at timestamp with time zone;
alter table inbox add column set_aside_reason varchar(2000);
create index inbox_set_aside on inbox (set_aside_at);
