-- Status rules, locks, manual tracking status, the manual-sync quota. Additive only: rows written
-- under 0001 stay valid (new columns are nullable or have defaults).

-- Why placing failed (the order sits in Failed until it is placed again).
alter table store_orders add column placing_error text;
-- A tracking status the merchant set by hand, for reference; Re-track clears it.
alter table store_orders add column manual_tracking_status text;
-- When the merchant last asked for Re-track: the watchlist asks for fresh events after it.
alter table store_orders add column retrack_requested_at timestamptz;

-- Times the flags need: a package's first and last carrier events, when its number was first seen
-- and when it was last read (the capture time of the snapshot, which also guards against replays
-- of older snapshots overwriting newer ones).
alter table packages add column first_event_at timestamptz;
alter table packages add column first_seen_at timestamptz;
alter table packages add column read_at timestamptz;
update packages set first_seen_at = updated_at, read_at = updated_at where first_seen_at is null;

-- The audit log covers locks and manual tracking statuses too; `to_state` is null when a manual
-- tracking status is dropped (back to automatic).
alter table state_changes add column field text not null default 'state';
alter table state_changes alter column to_state drop not null;
create index state_changes_order on state_changes (store_order_id, id);

-- A replayed idempotency key must carry the same body; its hash tells a retry from a reuse.
alter table sync_requests add column request_hash text;

-- One row per merchant: the merchant's local day of the last accepted manual sync, how many were
-- accepted that day and when the last one was. Taken under a row lock, so concurrent requests and
-- several backend processes count correctly.
create table manual_sync_quota (
  merchant_id bigint primary key references merchants (id),
  day text,
  used integer not null default 0,
  last_at timestamptz
);

-- Every accepted manual sync, for the record.
create table manual_syncs (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  local_day text not null,
  at timestamptz not null
);

create index ali_orders_store_order on ali_orders (store_order_id);
create index packages_tracking_number on packages (tracking_number);
