/**
 * Delivering outgoing webhooks from their outbox: POST of `{ id, type, createdAt, data }` with
 * `X-AOS-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the endpoint's
 * secret (the receiver checks it and the time, which also stops replays). A 2xx answer delivers
 * it; anything else is retried with backoff until the last attempt.
 */
import { createHmac } from 'node:crypto';
import type { Database } from '../db';
import type { Logger } from '../log';
import type { SecretBox } from '../secrets';
import { claim, retryLater, type Claimed } from '../jobs/outbox';

interface DeliveryJob extends Claimed {
  event: string;
  payload: unknown;
  created_at: Date;
  url: string;
  secret_sealed: string;
}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const COLUMNS = `j.event, j.payload, j.created_at,
  (select url from webhook_endpoints e where e.id = j.endpoint_id) as url,
  (select secret_sealed from webhook_endpoints e where e.id = j.endpoint_id) as secret_sealed`;

export async function deliverDueWebhooks(options: { db: Database; log: Logger; box: SecretBox; now: () => Date }, limit = 50): Promise<number> {
  const { db, log, box, now } = options;
  const jobs = await claim<DeliveryJob>(db, 'webhook_deliveries', COLUMNS, limit, now());
  await Promise.all(
    jobs.map(async (job) => {
      const body = JSON.stringify({ id: job.id, type: job.event, createdAt: job.created_at.toISOString(), data: job.payload });
      const timestamp = Math.floor(now().getTime() / 1000);
      try {
        const response = await fetch(job.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-aos-event': job.event,
            'x-aos-delivery': job.id,
            'x-aos-signature': signWebhook(box.open(job.secret_sealed), timestamp, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (!response.ok) throw new Error(`the endpoint answered HTTP ${response.status}`);
        await db.query(`update webhook_deliveries set status = 'sent', delivered_at = $3, error = null, lease_until = null where id = $1 and lease_until = $2`, [
          job.id,
          job.lease,
          now(),
        ]);
      } catch (error) {
        const message = (error as Error).message.slice(0, 300);
        log.error('webhook delivery failed', { delivery: job.id, error: message });
        await retryLater(db, 'webhook_deliveries', job, message, now());
      }
    }),
  );
  return jobs.length;
}
