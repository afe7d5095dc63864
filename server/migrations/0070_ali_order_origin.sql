-- The AliExpress site (https://www.aliexpress.us, https://es.aliexpress.com …) of the newest order
-- page each AliExpress order was read on, so the dashboard's links open the merchant's own site.
-- Null: read before this column, or only through the Open Platform.
alter table ali_orders add column aliexpress_origin text;
