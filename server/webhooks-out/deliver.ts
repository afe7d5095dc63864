/**
 * Delivering outgoing webhooks from their outbox: POST of `{ id, type, createdAt, data }` with
 * `X-AOS-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the endpoint's
 * secret (the receiver checks it and the time, which also stops replays). A 2xx answer delivers
 * it; anything else is retried with backoff until the last attempt. An endpoint that now resolves
 * to a private address is refused for good, before any byte is sent (server/webhooks-out/addresses.ts).
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Database } from '../db';
import type { Logger } from '../log';
import type { SecretBox } from '../secrets';
import { claim, failForGood, retryLater, type Claimed } from '../jobs/outbox';
import { isPublicAddress, PrivateAddressError, publicOnlyLookup } from './addresses';

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

const DELIVERY_TIMEOUT_MS = 10_000;

/** POSTs a delivery, connecting only to a public address unless `allowPrivate`; answers the HTTP status (redirects are not followed). */
function post(url: string, headers: Record<string, string>, body: string, allowPrivate: boolean): Promise<number> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && target.protocol !== 'https:') return Promise.reject(new PrivateAddressError('plain http is refused (ALLOW_PRIVATE_WEBHOOK_URLS is off): not delivered'));
  // An IP literal never goes through the lookup below.
  if (!allowPrivate && isIP(host) && !isPublicAddress(host)) return Promise.reject(new PrivateAddressError(`${host} is a private address: not delivered`));
  return new Promise((resolve, reject) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: publicOnlyLookup(allowPrivate), timeout: DELIVERY_TIMEOUT_MS },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`the endpoint did not answer within ${DELIVERY_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

export async function deliverDueWebhooks(options: { db: Database; log: Logger; box: SecretBox; now: () => Date; allowPrivate: boolean }, limit = 50): Promise<number> {
  const { db, log, box, now, allowPrivate } = options;
  const jobs = await claim<DeliveryJob>(db, 'webhook_deliveries', COLUMNS, limit, now());
  await Promise.all(
    jobs.map(async (job) => {
      const body = JSON.stringify({ id: job.id, type: job.event, createdAt: job.created_at.toISOString(), data: job.payload });
      const timestamp = Math.floor(now().getTime() / 1000);
      try {
        const status = await post(
          job.url,
          {
            'content-type': 'application/json',
            'x-aos-event': job.event,
            'x-aos-delivery': job.id,
            'x-aos-signature': signWebhook(box.open(job.secret_sealed), timestamp, body),
          },
          body,
          allowPrivate,
        );
        if (status < 200 || status > 299) throw new Error(`the endpoint answered HTTP ${status}`);
        await db.query(`update webhook_deliveries set status = 'sent', delivered_at = $3, error = null, lease_until = null where id = $1 and lease_until = $2`, [
          job.id,
          job.lease,
          now(),
        ]);
      } catch (error) {
        const message = (error as Error).message.slice(0, 300);
        log.error('webhook delivery failed', { delivery: job.id, error: message });
        if (error instanceof PrivateAddressError) await failForGood(db, 'webhook_deliveries', job, message);
        else await retryLater(db, 'webhook_deliveries', job, message, now());
      }
    }),
  );
  return jobs.length;
}
