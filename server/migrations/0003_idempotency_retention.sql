-- Idempotency records are pruned by age (server/sync/idempotency.ts): found by their time.
create index sync_requests_created_at on sync_requests (created_at);
