-- /ops and /api/stats (contract section 12) select cases by when they were opened, and count the
-- Zendesk writes refused for good; both without reading every row.
create index cases_created on cases (created_at);
create index writes_refused on writes (gave_up, applied_at);
