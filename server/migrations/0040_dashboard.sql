-- The merchant's dashboard: sign-in, sessions, several extension tokens, the AliExpress orders no
-- store order links to, and what the live updates poll. Additive: rows of earlier migrations stay valid.

-- A merchant signs in with a login and a password; only the scrypt hash is kept. Failed attempts
-- are counted in a window; too many lock sign-in for a while.
create table merchant_logins (
  merchant_id bigint primary key references merchants (id),
  login text not null unique,
  password_hash text not null,
  failed_attempts integer not null default 0,
  failed_since timestamptz,
  locked_until timestamptz,
  updated_at timestamptz not null default now()
);

-- A signed-in browser. The cookie carries a random id; only its SHA-256 is stored. The CSRF token
-- is sent back in a header on every change (the cookie alone changes nothing).
create table sessions (
  id_hash text primary key,
  merchant_id bigint not null references merchants (id),
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_merchant on sessions (merchant_id);

-- A merchant's API tokens (one per browser profile with the extension, say); only the SHA-256 of
-- each is stored. A revoked token stops working at once.
create table api_tokens (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  name text not null,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index api_tokens_merchant on api_tokens (merchant_id, id);
insert into api_tokens (merchant_id, name, token_hash, created_at)
  select id, 'API token', token_hash, created_at from merchants;
-- Tokens live in api_tokens now; the column is kept readable for older code only.
alter table merchants alter column token_hash drop not null;

-- AliExpress orders the extension read that no store order links to (yet): the latest read of each,
-- for the dashboard's "Not linked" tab and for placing a store order with them.
create table unlinked_ali_orders (
  merchant_id bigint not null references merchants (id),
  ali_order_id text not null,
  supplier text,
  status text not null,
  read jsonb not null,
  last_seen_at timestamptz not null,
  primary key (merchant_id, ali_order_id)
);
create index unlinked_ali_orders_seen on unlinked_ali_orders (merchant_id, last_seen_at desc);

-- What the live updates poll: the newest change of a merchant's orders.
create index store_orders_merchant_updated on store_orders (merchant_id, updated_at);
create index sync_requests_merchant_created on sync_requests (merchant_id, created_at);
