-- One row per case with its milestones (contract section 12): /ops, /api/stats and /api/cases.csv
-- read a period's cases from here in one range scan of case_milestones_opened. Written in the
-- transaction that stores each decision (store.MilestoneStore); note1_at when Zendesk takes the
-- step-1 note (in shadow mode when it is decided). A milestone not reached is null; the step columns
-- hold the first decision of that SOP step.
create table case_milestones (
  ticket_id bigint primary key,
  -- cases.created_at: the period a case belongs to
  opened_at timestamp with time zone not null,
  -- the first webhook accepted for the ticket (the request reaching the desk)
  first_input_at timestamp with time zone,
  -- the first step-1 note (1, 1.1, 1.2, 1.3) on the ticket
  note1_at timestamp with time zone,
  -- the latest step-1 note of a case that step 1 could not classify (what needs a person since)
  step1_stopped_at timestamp with time zone,
  step1_1_at timestamp with time zone,
  step1_2_at timestamp with time zone,
  step1_3_at timestamp with time zone,
  -- the first step-3 note: logistics overdue on the next working day
  logistics_overdue_at timestamp with time zone,
  step3_1_at timestamp with time zone,
  step3_2_at timestamp with time zone,
  -- the first step-4 note: the tracking watch stalled
  tracking_stalled_at timestamp with time zone,
  step4_1_at timestamp with time zone,
  step4_2_at timestamp with time zone,
  step5_1_at timestamp with time zone,
  step5_2_at timestamp with time zone,
  refund_escalated_at timestamp with time zone,
  refusal_asked_at timestamp with time zone,
  -- the step of the latest decision with a Zendesk update
  sop_step varchar(10),
  -- the case's logistics request (step 2) and what came of it
  carrier varchar(100),
  logistics_requested_at timestamp with time zone,
  logistics_result varchar(20),
  logistics_result_at timestamp with time zone,
  tracking_outcome varchar(40),
  customer_outcome varchar(40)
);
create index case_milestones_opened on case_milestones (opened_at);

-- Cases decided before this table existed, from the history kept until now (once): each SOP
-- step's first write, the first step-1 note taken by Zendesk, the refund tag, the first webhook,
-- and "refusal asked" as it was derived then, from the timeline's and step 1.2's wording.
insert into case_milestones (
  ticket_id, opened_at, first_input_at, note1_at, step1_stopped_at,
  step1_1_at, step1_2_at, step1_3_at, logistics_overdue_at, step3_1_at, step3_2_at,
  tracking_stalled_at, step4_1_at, step4_2_at, step5_1_at, step5_2_at,
  refund_escalated_at, refusal_asked_at, sop_step,
  carrier, logistics_requested_at, logistics_result, logistics_result_at,
  tracking_outcome, customer_outcome)
select
  c.ticket_id, c.created_at, i.first_input, w.note1, w.s1,
  w.s11, w.s12, w.s13, w.s3, w.s31, w.s32,
  w.s4, w.s41, w.s42, w.s51, w.s52,
  w.refund,
  coalesce(x.refusal_line,
    case when w.refusal_before is not null then coalesce(i.first_input, c.created_at) end),
  lw.step,
  l.carrier, l.submitted_at, l.result, l.result_at, l.tracking_outcome, l.customer_outcome
from cases c
left join (
  select ticket_id,
    min(case when step in ('1', '1.1', '1.2', '1.3')
      then coalesce(applied_at, case when shadow then at end) end) note1,
    max(case when step = '1' then at end) s1,
    min(case when step = '1.1' then at end) s11,
    min(case when step = '1.2' then at end) s12,
    min(case when step = '1.3' then at end) s13,
    min(case when step = '3' then at end) s3,
    min(case when step = '3.1' then at end) s31,
    min(case when step = '3.2' then at end) s32,
    min(case when step = '4' then at end) s4,
    min(case when step = '4.1' then at end) s41,
    min(case when step = '4.2' then at end) s42,
    min(case when step = '5.1' then at end) s51,
    min(case when step = '5.2' then at end) s52,
    min(case when add_tags like '%cxl_refund_escalated%' then at end) refund,
    min(case when step = '1.2'
      and note like '%the customer was already asked to refuse the parcel%' then at end) refusal_before,
    max(id) last_write
  from writes group by ticket_id
) w on w.ticket_id = c.ticket_id
left join writes lw on lw.id = w.last_write
left join (
  select ticket_id, min(received_at) first_input from inbox group by ticket_id
) i on i.ticket_id = c.ticket_id
left join (
  select ticket_id, min(at) refusal_line from case_history
  where step is null and text like 'The customer was asked to refuse the parcel%'
  group by ticket_id
) x on x.ticket_id = c.ticket_id
left join logistics_requests l on l.ticket_id = c.ticket_id;
