-- Merchants authenticate with an API token; only its SHA-256 is stored.
create table merchants (
  id bigserial primary key,
  name text not null,
  token_hash text not null unique,
  timezone text not null default 'UTC',
  created_at timestamptz not null default now()
);

create table store_orders (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  store_order_number text not null,
  paid boolean not null,
  fulfillment_mode text not null default 'auto',
  placing_failed boolean not null default false,
  state text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (merchant_id, store_order_number)
);

-- One per supplier of a store order.
create table ali_orders (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  store_order_id bigint not null references store_orders (id),
  ali_order_id text not null,
  supplier text,
  status text not null default 'awaiting_payment',
  status_text text,
  ordered_at text,
  paid_at timestamptz,
  total_amount numeric,
  total_currency text,
  last_seen_at timestamptz,
  updated_at timestamptz not null default now(),
  unique (merchant_id, ali_order_id)
);

create table packages (
  id bigserial primary key,
  ali_order_pk bigint not null references ali_orders (id) on delete cascade,
  tracking_number text not null,
  carrier text,
  tracking_status text not null,
  events jsonb not null default '[]',
  last_event_at timestamptz,
  updated_at timestamptz not null default now(),
  unique (ali_order_pk, tracking_number)
);

-- Every change of a store order's state, with what caused it.
create table state_changes (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  store_order_id bigint not null references store_orders (id),
  from_state text,
  to_state text not null,
  cause text not null,
  at timestamptz not null default now()
);

-- A replayed idempotency key answers what the first request answered.
create table sync_requests (
  merchant_id bigint not null references merchants (id),
  idempotency_key text not null,
  response jsonb not null,
  created_at timestamptz not null default now(),
  primary key (merchant_id, idempotency_key)
);

create index store_orders_merchant_state on store_orders (merchant_id, state);
