-- Webhook subscriptions made when a store is connected, and the scopes its app lacks: what the
-- store's connection shows. Additive: stores connected before keep null (nothing subscribed).
alter table stores add column webhook_callback_url text;
alter table stores add column webhook_topics text[];
alter table stores add column webhook_error text;
alter table stores add column missing_scopes text[];
