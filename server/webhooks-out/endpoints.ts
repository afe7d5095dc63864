/** Outgoing webhook endpoints the merchant registers: the URL, the events, a signing secret (sealed, shown once). */
import { randomBytes } from 'node:crypto';
import type { OutgoingEvent } from '../../lib/domain/stores';
import type { Queryable } from '../db';
import { ConflictError, NotFoundError } from '../errors';
import type { SecretBox } from '../secrets';

export const MAX_ENDPOINTS = 10;

interface EndpointRow {
  id: string;
  url: string;
  events: OutgoingEvent[];
  created_at: Date;
}

const view = (r: EndpointRow) => ({ id: r.id, url: r.url, events: r.events, createdAt: r.created_at.toISOString() });

export async function createEndpoint(db: Queryable, box: SecretBox, merchantId: string, input: { url: string; events: OutgoingEvent[] }, now: Date) {
  const count = await db.query<{ n: number }>('select count(*)::int as n from webhook_endpoints where merchant_id = $1 and deleted_at is null', [merchantId]);
  if ((count.rows[0]?.n ?? 0) >= MAX_ENDPOINTS) throw new ConflictError(`at most ${MAX_ENDPOINTS} webhook endpoints`);
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const { rows } = await db.query<EndpointRow>(
    `insert into webhook_endpoints (merchant_id, url, secret_sealed, events, created_at) values ($1, $2, $3, $4, $5)
     returning id::text as id, url, events, created_at`,
    [merchantId, input.url, box.seal(secret), [...new Set(input.events)], now],
  );
  return { ...view(rows[0]!), secret };
}

export async function listEndpoints(db: Queryable, merchantId: string) {
  const { rows } = await db.query<EndpointRow>(
    'select id::text as id, url, events, created_at from webhook_endpoints where merchant_id = $1 and deleted_at is null order by id',
    [merchantId],
  );
  return rows.map(view);
}

/** Deleted: nothing more is sent to it, its queued deliveries fail visibly. */
export async function deleteEndpoint(db: Queryable, merchantId: string, id: string, now: Date): Promise<void> {
  const { rows } = await db.query('update webhook_endpoints set deleted_at = $3 where id = $1 and merchant_id = $2 and deleted_at is null returning id', [id, merchantId, now]);
  if (!rows[0]) throw new NotFoundError(`no webhook endpoint ${id}`);
  await db.query(`update webhook_deliveries set status = 'failed', error = 'the endpoint was deleted' where endpoint_id = $1 and status = 'queued'`, [id]);
}
