-- The store leg: connected stores, orders in from them, fulfillments out, merchant settings,
-- outgoing webhooks. Additive only: rows written under earlier migrations stay valid.

-- A connected store. Its secrets are sealed with the server's SECRETS_KEY (server/secrets.ts);
-- disconnecting wipes them and keeps the row for the orders that came from it.
create table stores (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  platform text not null,
  shop_domain text not null,
  access_token_sealed text,
  client_secret_sealed text,
  -- connected | failing (its last answer was an error worth retrying) | revoked (token refused) | uninstalled
  status text not null default 'connected',
  last_error text,
  connected_at timestamptz not null,
  disconnected_at timestamptz,
  -- The reconciling pass reads orders updated since this cursor (the newest updatedAt it applied).
  reconcile_cursor timestamptz,
  reconcile_due_at timestamptz not null default now(),
  reconcile_lease_until timestamptz
);
-- One live connection per shop: a webhook names its shop, and must find one secret to check.
create unique index stores_live_shop on stores (platform, shop_domain) where disconnected_at is null;
create index stores_merchant on stores (merchant_id);

-- A webhook id seen once is not applied again (Shopify redelivers with the same id).
create table store_webhook_receipts (
  store_id bigint not null references stores (id),
  webhook_id text not null,
  topic text not null,
  received_at timestamptz not null,
  primary key (store_id, webhook_id)
);

-- Store orders that came from a store: which one, its id there, its line items, the time of the
-- newest version applied (older deliveries do not roll it back), and a cancel on the store (final).
alter table store_orders add column store_id bigint references stores (id);
alter table store_orders add column external_id text;
alter table store_orders add column line_items jsonb;
alter table store_orders add column store_updated_at timestamptz;
alter table store_orders add column canceled_on_store_at timestamptz;
create unique index store_orders_external on store_orders (store_id, external_id) where external_id is not null;

-- Which store line items an AliExpress order covers (null: every line, for a single supplier);
-- an AliExpress order placed again replaces a canceled one, which stays for the history.
alter table ali_orders add column line_items jsonb;
alter table ali_orders add column replaced_at timestamptz;

create table merchant_settings (
  merchant_id bigint primary key references merchants (id),
  shipping_confirmation_email boolean not null default false,
  split_fulfillment text not null default 'wait_for_all',
  updated_at timestamptz not null
);

-- One fulfillment to make (or keep up to date) on the store: the outbox of the tracking leg.
-- `tracking_numbers` is what the store should show, `sent_tracking_numbers` what it was last told.
create table store_fulfillments (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  store_id bigint not null references stores (id),
  store_order_id bigint not null references store_orders (id),
  -- The AliExpress order ids it covers, sorted and joined: one row per group.
  group_key text not null,
  ali_order_ids text[] not null,
  tracking_numbers text[] not null,
  -- The store line items it covers ([{lineItemId, quantity}]); null: what is left of the order.
  line_items jsonb,
  sent_tracking_numbers text[],
  -- queued | sent | failed (permanently: shown, not retried until something changes)
  status text not null,
  error text,
  store_fulfillment_id text,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  lease_until timestamptz,
  queued_at timestamptz not null,
  sent_at timestamptz,
  unique (store_order_id, group_key)
);
create index store_fulfillments_due on store_fulfillments (next_attempt_at) where status = 'queued';
create index store_fulfillments_order on store_fulfillments (store_order_id);

-- Outgoing webhooks to URLs the merchant registers, signed with a secret of each endpoint.
create table webhook_endpoints (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  url text not null,
  secret_sealed text not null,
  events text[] not null,
  created_at timestamptz not null,
  deleted_at timestamptz
);
create index webhook_endpoints_merchant on webhook_endpoints (merchant_id) where deleted_at is null;

-- Their outbox: one delivery per endpoint and event (the key makes a repeated event a no-op).
create table webhook_deliveries (
  id bigserial primary key,
  endpoint_id bigint not null references webhook_endpoints (id),
  merchant_id bigint not null references merchants (id),
  event text not null,
  event_key text not null,
  payload jsonb not null,
  status text not null,
  error text,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  lease_until timestamptz,
  created_at timestamptz not null,
  delivered_at timestamptz,
  unique (endpoint_id, event_key)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'queued';
