-- The Zendesk API budget, shared by every instance on this database: the next moment (epoch
-- nanoseconds) at which a call fits in the budget.
create table rate_budget (
  name varchar(50) primary key,
  next_free_nanos bigint not null
);
insert into rate_budget (name, next_free_nanos) values ('zendesk', 0);
