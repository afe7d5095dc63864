/**
 * Cainiao's batched refresh: how many requests 300 parcels in flight take, what one request costs
 * here (a real HTTP request to the Cainiao contract server on loopback, reading the real-shape
 * answer, keeping it in the cache: fake-indexeddb in Node), and the largest batch the contract
 * server's answer shape and request-line limit allow, against the batch chosen.
 */
import { createServer } from 'node:http';
import { Dexie } from 'dexie';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import type { AddressInfo } from 'node:net';
import { openCache, type CachedStoreOrder } from '../lib/cache/db';
import { CAINIAO_PAUSE_MS } from '../lib/cainiao/refresh-plan';
import { CAINIAO_BATCH_SIZE, CAINIAO_URL_LIMIT, cainiaoDetailUrl } from '../lib/cainiao/url';
import { refreshDueTracking } from '../lib/sync/tracking-refresh';
import { cainiaoContract, type CainiaoParcel } from '../scripts/lib/sandbox/cainiao';
import { cachedStoreOrder } from './data';
import { median, round, underBudget, type Figure } from './lib';

const PARCELS = 300;

/** A store order as the worker pulls it, with one parcel in flight. */
function storeOrderWith(n: number, trackingNumber: string, pulledAt: string): CachedStoreOrder {
  const aliOrderId = String(8_300_000_000_000_000 + n);
  return cachedStoreOrder(
    { id: String(n), storeOrderNumber: `#${n}`, state: 'fulfilled', flags: [] },
    [
      {
        aliOrderId,
        supplier: 'Supplier',
        status: 'shipped',
        paidAt: pulledAt,
        lastSeenAt: pulledAt,
        packages: [{ trackingNumber, carrier: 'Cainiao', trackingStatus: 'in_transit', lastEventAt: pulledAt, firstEventAt: pulledAt, firstSeenAt: pulledAt }],
      },
    ],
    pulledAt,
  );
}

/** The largest batch of numbers `length` characters long that the contract server answers (not 414). */
function largestBatch(length: number): number {
  const contract = cainiaoContract({ parcels: new Map() });
  const numbers = (count: number) => Array.from({ length: count }, (_, i) => `L${String(i).padStart(length - 1, '0')}`);
  let low = 1;
  let high = 4096;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (contract.answer(new URL(cainiaoDetailUrl(numbers(mid))))!.status === 200) low = mid;
    else high = mid - 1;
  }
  return low;
}

export interface TrackingRefreshMeasure {
  figures: Figure[];
  /** Median wall time of one request of a full batch: HTTP, reading, keeping in the cache. */
  requestMs: number;
}

export async function measureTrackingRefresh(): Promise<TrackingRefreshMeasure> {
  // An IndexedDB in Node for the cache (the other groups measure the real one in Chromium).
  Object.assign(Dexie.dependencies, { indexedDB, IDBKeyRange });
  const now = new Date();
  const parcels = new Map<string, CainiaoParcel>();
  const numbers = Array.from({ length: PARCELS }, (_, i) => `LP${String(i).padStart(11, '0')}BR`);
  // As a merchant's parcels are: most moving, some delivered since the last look.
  numbers.forEach((n, i) => parcels.set(n, i % 5 === 0 ? 'delivered' : 'in_transit'));
  const contract = cainiaoContract({ parcels });
  const server = createServer((request, response) => {
    const out = contract.answer(new URL(request.url!, 'https://global.cainiao.com'));
    response.writeHead(out?.status ?? 404, { 'content-type': out?.contentType ?? 'text/plain', ...out?.headers });
    response.end(out?.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const cache = openCache(`bench-refresh-${Date.now()}`);
  const requestMs: number[] = [];
  const answerBytes: number[] = [];
  try {
    await cache.storeOrders.bulkPut(numbers.map((n, i) => storeOrderWith(i + 1, n, new Date(now.getTime() - 3_600_000).toISOString())));
    let started = performance.now();
    const timedFetch: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      const response = await fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, init);
      const body = await response.text();
      answerBytes.push(Buffer.byteLength(body));
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const summary = await refreshDueTracking({
      cache,
      fetchImpl: timedFetch,
      now: () => new Date(),
      // The pause is modeled, not waited: each request's own cost is timed from its start.
      sleep: async () => {
        requestMs.push(performance.now() - started);
        started = performance.now();
      },
      newKey: () => crypto.randomUUID(),
    });
    requestMs.push(performance.now() - started);
    const cost = median(requestMs);
    const batch = { typical13: largestBatch(13), longest64: largestBatch(64) };
    return {
      requestMs: cost,
      figures: [
        underBudget(
          {
            id: 'tracking_refresh.requests_for_300',
            figure: `Cainiao refresh: requests for ${PARCELS} parcels in flight (batches of ${CAINIAO_BATCH_SIZE})`,
            value: summary.requests,
            unit: 'requests',
            shown: `${summary.requests} requests (${summary.refreshed.length} refreshed; ${round(cost, 1)} ms a request here + ${CAINIAO_PAUSE_MS / 1000} s pause)`,
            details: {
              batchSize: CAINIAO_BATCH_SIZE,
              pauseMs: CAINIAO_PAUSE_MS,
              requestMs: requestMs.map((ms) => round(ms, 1)),
              medianRequestMs: round(cost, 1),
              medianAnswerBytes: median(answerBytes),
              method: 'refreshDueTracking over 300 cached store orders, each request a real HTTP request to the Cainiao contract server on loopback; the cache is fake-indexeddb in Node',
            },
          },
          15,
          '≤ 15',
          true,
        ),
        {
          id: 'tracking_refresh.max_batch',
          figure: 'Cainiao refresh: largest batch the contract server takes (8 KB request line), against the batch chosen',
          value: batch.longest64,
          unit: 'numbers',
          shown: `${batch.longest64} numbers of 64 characters, ${batch.typical13} of 13; chosen ${CAINIAO_BATCH_SIZE} (answer ${round(median(answerBytes) / 1024, 0)} KB)`,
          budget: `batch well under the largest (≤ a quarter of ${batch.longest64})`,
          verdict: CAINIAO_BATCH_SIZE * 4 <= batch.longest64 ? 'pass' : 'fail',
          details: { urlLimit: CAINIAO_URL_LIMIT, largestBatch: batch, chosen: CAINIAO_BATCH_SIZE },
        },
      ],
    };
  } finally {
    server.close();
    await cache.delete();
  }
}
