-- The newest state of each ticket the service has seen (from a webhook, a read, or Zendesk's answer
-- to our own update): its updated_at is the updated_stamp of the next safe_update, so a decision
-- costs one Zendesk request (contract 7, "Economy"). Only a hint: a stale one costs a 409 and a read.
create table ticket_stamps (
  ticket_id bigint primary key,
  updated_at timestamp with time zone not null,
  tags varchar(100000) not null
);
