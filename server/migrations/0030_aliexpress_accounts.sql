-- A merchant's connected AliExpress account (Open Platform OAuth). The tokens are sealed with
-- SECRETS_KEY (server/secrets.ts) and never leave the server. One account per merchant.
create table aliexpress_accounts (
  merchant_id bigint primary key references merchants (id),
  account text,
  access_token_sealed text not null,
  refresh_token_sealed text,
  expires_at timestamptz not null,
  refresh_expires_at timestamptz,
  connected_at timestamptz not null,
  -- Where this merchant's scheduled pass falls within each interval, so merchants are spread out.
  pass_offset_ms bigint not null,
  -- When the scheduled pass is due next; claiming a pass moves it on (see schedule.ts).
  next_pass_at timestamptz not null,
  last_sync_at timestamptz,
  last_error text,
  -- The authorisation is gone (expired, revoked): no pass runs until the merchant reconnects.
  needs_reconnect boolean not null default false
);

create index aliexpress_accounts_due on aliexpress_accounts (next_pass_at) where not needs_reconnect;

-- OAuth `state` values handed out, by their SHA-256: each binds the callback to the merchant who
-- asked, once, for a few minutes.
create table aliexpress_oauth_states (
  state_hash text primary key,
  merchant_id bigint not null references merchants (id),
  expires_at timestamptz not null
);
