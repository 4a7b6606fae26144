-- LOGISTICS_CHANNEL=shopify (contract 6a): step 2 as fulfillmentOrderSubmitCancellationRequest.
-- One row per logistics request, written in the transaction that files the request, so the side
-- effect is recorded before it is made. state: due (not tried), submitting (claimed at claimed_at;
-- an outcome not yet known), submitted (Shopify has it), page (nothing at a fulfillment service:
-- the logistics page is the channel for this case).
create table shopify_submissions (
  request_id bigint primary key,
  ticket_id bigint not null,
  order_number varchar(200) not null,
  state varchar(20) not null,
  attempts int not null,
  claimed_at timestamp with time zone,
  detail varchar(2000),
  created_at timestamp with time zone not null,
  updated_at timestamp with time zone not null
);
create index shopify_submissions_state on shopify_submissions (state);

-- The fulfillment orders asked to cancel, so a webhook about one finds its logistics request.
create table shopify_fulfillment_orders (
  fulfillment_order_id varchar(200) primary key,
  request_id bigint not null
);

-- Shopify webhook deliveries taken (X-Shopify-Webhook-Id): stored before the 202, worked after.
create table shopify_webhooks (
  webhook_id varchar(200) primary key,
  topic varchar(200) not null,
  fulfillment_order_id varchar(200),
  message varchar(4000),
  received_at timestamp with time zone not null,
  processed_at timestamp with time zone,
  outcome varchar(200)
);
create index shopify_webhooks_pending on shopify_webhooks (processed_at);
