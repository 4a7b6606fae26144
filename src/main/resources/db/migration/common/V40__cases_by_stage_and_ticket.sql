-- GET /api/cases pages by ticket id within a stage (contract section 10): a page is a range of
-- this index, however many cases the other stages hold.
create index cases_stage_ticket on cases (stage, ticket_id);
