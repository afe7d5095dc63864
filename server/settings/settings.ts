/** The merchant's settings of the store leg ("Setting - Tracking", "Fulfillment setting"): one row each, defaults until set. */
import { DEFAULT_SETTINGS, type Settings } from '../../lib/domain/stores';
import type { Queryable } from '../db';

export async function readSettings(db: Queryable, merchantId: string): Promise<Settings> {
  const { rows } = await db.query<{ shipping_confirmation_email: boolean; split_fulfillment: Settings['splitFulfillment'] }>(
    'select shipping_confirmation_email, split_fulfillment from merchant_settings where merchant_id = $1',
    [merchantId],
  );
  const row = rows[0];
  return row ? { shippingConfirmationEmail: row.shipping_confirmation_email, splitFulfillment: row.split_fulfillment } : { ...DEFAULT_SETTINGS };
}

/** Writes the given fields (the others keep their value) and answers the settings as they now are. */
export async function writeSettings(db: Queryable, merchantId: string, change: Partial<Settings>, now: Date): Promise<Settings> {
  const next = { ...(await readSettings(db, merchantId)), ...change };
  await db.query(
    `insert into merchant_settings (merchant_id, shipping_confirmation_email, split_fulfillment, updated_at) values ($1, $2, $3, $4)
     on conflict (merchant_id) do update set shipping_confirmation_email = excluded.shipping_confirmation_email,
       split_fulfillment = excluded.split_fulfillment, updated_at = excluded.updated_at`,
    [merchantId, next.shippingConfirmationEmail, next.splitFulfillment, now],
  );
  return next;
}
