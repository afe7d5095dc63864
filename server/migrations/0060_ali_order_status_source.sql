-- Which evidence decided each AliExpress order's status (a status code, the list tab, its buttons,
-- its numeric status, its text: lib/domain/ali-order.ts STATUS_SOURCES), so the merchant can see
-- what a status rests on. Null: no read said (orders read before this column, or unknown).
alter table ali_orders add column status_source text;
