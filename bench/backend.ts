/**
 * The backend under load:
 * - throughput of `POST /v1/sync` with 1,000-order batches (createApp in process, requests through
 *   app.request, so JSON, zod and the SQL all count), on the embedded database and PostgreSQL;
 * - p99 latency of a 50-order sync with 20 merchants syncing at once, against the real server
 *   process (server/main.ts, PORT=0), driven from here over loopback with a bounded loop.
 * Each merchant starts with placed orders (one AliExpress order each); every sync moves statuses
 * along and brings tracking numbers, as days do.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { SyncRequest } from '../lib/domain/api';
import type { AliOrder, Snapshot } from '../lib/domain/snapshot';
import { startBackend } from '../scripts/lib/backend-process';
import { createApp } from '../server/app';
import { createMerchant } from '../server/auth';
import { openDatabase, type Database, type DatabaseOptions, type Queryable } from '../server/db';
import { silentLogger } from '../server/log';
import { aliId, listOrder, statusAt } from './data';
import { log, median, percentile, round, type Figure } from './lib';

const LIST_URL = 'https://www.aliexpress.com/p/order/index.html';

/** `count` placed store orders, each with AliExpress order aliId(1..count), in one statement. */
export async function seedPlacedOrders(db: Database, merchantId: string, count: number): Promise<void> {
  await db.query(
    `with s as (
       insert into store_orders (merchant_id, store_order_number, paid, state, created_at, updated_at)
       select $1, 'B' || g, true, 'awaiting_payment', now(), now() from generate_series(1, $2::int) g
       returning id, store_order_number)
     insert into ali_orders (merchant_id, store_order_id, ali_order_id, supplier, status, updated_at)
     select $1, s.id, (8400000000000000 + substr(s.store_order_number, 2)::bigint)::text, 'Supplier store', 'awaiting_payment', now() from s`,
    [merchantId, count],
  );
}

/** Orders n = from..from+count-1 as sync `step` shows them: list pages of 50, shipped ones also read on their tracking page. */
export function syncBatch(from: number, count: number, step: number, capturedAt: Date): SyncRequest {
  const snapshots: Snapshot[] = [];
  const at = (offset: number) => new Date(capturedAt.getTime() + offset).toISOString();
  const list: AliOrder[] = [];
  const tracked: AliOrder[] = [];
  for (let n = from; n < from + count; n++) {
    // Four in five come from the order list; the fifth from its tracking page, with a package.
    if (n % 5 === 4) {
      tracked.push({
        aliOrderId: aliId(n),
        status: 'shipped',
        packages: [
          {
            trackingNumber: `LP00${aliId(n)}`,
            carrier: 'Cainiao',
            trackingStatus: step % 2 ? 'in_transit' : 'pending',
            events: [
              { at: at(-3_600_000 * (step + 1)), text: 'Departed from sorting center', code: 'SC_OUTBOUND' },
              { at: at(-3_600_000 * (step + 30)), text: 'Order received by carrier', code: 'PU_PICKUP' },
            ],
          },
        ],
      });
    } else {
      list.push({ ...listOrder(n, step), status: statusAt(n, step) });
    }
  }
  for (let i = 0; i < list.length; i += 50) snapshots.push({ kind: 'order_list', url: LIST_URL, capturedAt: at(i), orders: list.slice(i, i + 50), warnings: [] });
  for (let i = 0; i < tracked.length; i += 50) {
    snapshots.push({ kind: 'tracking', url: 'https://www.aliexpress.com/p/tracking/index.html', capturedAt: at(i + 1), orders: tracked.slice(i, i + 50), warnings: [] });
  }
  return { idempotencyKey: `bench-${randomUUID()}`, snapshots };
}

/** Counts the statements a request sends and the time spent waiting for them (in this process). */
function counting(db: Database): { db: Database; stats: { queries: number; ms: number }; reset(): void } {
  const stats = { queries: 0, ms: 0 };
  const timed = (q: Queryable): Queryable => ({
    async query(text, params) {
      const started = performance.now();
      try {
        return await q.query(text, params);
      } finally {
        stats.queries++;
        stats.ms += performance.now() - started;
      }
    },
  });
  const wrapped: Database = {
    kind: db.kind,
    query: (text, params) => timed(db).query(text, params),
    async transaction(fn) {
      // The last statement goes out with the commit: the wait for both counts from fn's end.
      let ended = 0;
      const result = await db.transaction(async (tx) => {
        const value = await fn({
          ...timed(tx),
          beforeCommit(text, params) {
            stats.queries++;
            tx.beforeCommit(text, params);
          },
        });
        ended = performance.now();
        return value;
      });
      stats.ms += performance.now() - ended;
      return result;
    },
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
  return {
    db: wrapped,
    stats,
    reset() {
      stats.queries = 0;
      stats.ms = 0;
    },
  };
}

export const benchSchema = (what: string) => `bench_${what}_${process.pid}_${Date.now().toString(36)}`;

/** Straight through pg: openDatabase would run the migrations in the public schema first. */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  if (!/^bench_[a-z0-9_]+$/.test(schema)) throw new Error(`not a bench schema: ${schema}`);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/** Orders per second of 1,000-order syncs; median of `rounds` timed syncs after one warm-up. */
async function throughput(
  options: DatabaseOptions,
  rounds: number,
): Promise<{ perSecond: number[]; ms: number[]; changed: number; queriesPerSync: number; sqlShare: number }> {
  const db = await openDatabase(options);
  const counter = counting(db);
  try {
    const { token, merchant } = await createMerchant(db, 'bench throughput');
    await seedPlacedOrders(db, merchant.id, 1000);
    const app = createApp({ db: counter.db, log: silentLogger });
    const post = async (body: SyncRequest) => {
      const response = await app.request('/v1/sync', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 200) throw new Error(`POST /v1/sync answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
      return (await response.json()) as { results: { outcome: string; changed?: boolean }[] };
    };
    const start = Date.UTC(2026, 10, 20, 12);
    await post(syncBatch(1, 1000, 0, new Date(start)));
    const perSecond: number[] = [];
    const ms: number[] = [];
    let changed = 0;
    const sqlShares: number[] = [];
    let queriesPerSync = 0;
    for (let step = 1; step <= rounds; step++) {
      counter.reset();
      const body = syncBatch(1, 1000, step, new Date(start + step * 600_000));
      const started = performance.now();
      const answer = await post(body);
      const elapsed = performance.now() - started;
      const applied = answer.results.filter((r) => r.outcome === 'applied').length;
      if (applied !== 1000) throw new Error(`a 1,000-order sync applied ${applied} orders`);
      changed += answer.results.filter((r) => r.changed).length;
      ms.push(round_(elapsed));
      sqlShares.push(counter.stats.ms / elapsed);
      queriesPerSync = counter.stats.queries;
      perSecond.push(Math.round((1000 / elapsed) * 1000));
    }
    return { perSecond, ms, changed, queriesPerSync, sqlShare: round(median(sqlShares), 2) };
  } finally {
    await db.close();
  }
}

const round_ = (v: number) => round(v, 1);

interface LoadResult {
  latencies: number[];
  /** The warm-up requests', not counted. */
  warmUp: number[];
  requests: number;
  errors: number;
  seconds: number;
}

/**
 * One POST over a kept-alive connection; resolves with the status once the whole answer is read.
 * node:http rather than fetch: the driver shares the machine's cores with the server and the
 * database, and fetch spent several times more of them per request.
 */
export function postSync(agent: Agent, url: URL, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/v1/sync',
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.on('error', reject);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.resume();
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Requests per merchant before the counted ones: until then the server is still compiling its hot
 * paths and each of its 20 pooled connections is still preparing its statements and planning them
 * (PostgreSQL plans a prepared statement afresh for its first 5 runs), which is start-up, not load.
 */
export const WARM_UP_PER_MERCHANT = 10;

/** 20 merchants, each syncing 50 orders at a time back to back, against the real server process. */
async function concurrentLoad(env: NodeJS.ProcessEnv, tokens: string[], perMerchant: number, deadlineMs: number): Promise<LoadResult> {
  const start = Date.UTC(2026, 10, 20, 12);
  // Each request: the next 50 of the merchant's 200 orders, statuses one round further on. Made
  // up front so that building them does not take the cores from the requests being timed.
  const bodies = tokens.map((_token, m) =>
    Array.from({ length: perMerchant + WARM_UP_PER_MERCHANT }, (_body, i) => JSON.stringify(syncBatch(1 + ((i * 50) % 200), 50, i + m, new Date(start + i * 600_000)))),
  );
  const server = await startBackend(env);
  const agent = new Agent({ keepAlive: true, maxSockets: tokens.length });
  try {
    const url = new URL(server.url);
    const latencies: number[] = [];
    const warmUp: number[] = [];
    let errors = 0;
    const started = performance.now();
    const deadline = started + deadlineMs;
    await Promise.all(
      tokens.map(async (token, m) => {
        for (let i = 0; i < perMerchant + WARM_UP_PER_MERCHANT && performance.now() < deadline; i++) {
          const t0 = performance.now();
          const status = await postSync(agent, url, token, bodies[m]![i]!);
          const elapsed = performance.now() - t0;
          if (status !== 200) errors++;
          else (i < WARM_UP_PER_MERCHANT ? warmUp : latencies).push(elapsed);
        }
      }),
    );
    return { latencies, warmUp, requests: latencies.length, errors, seconds: (performance.now() - started) / 1000 };
  } finally {
    agent.destroy();
    await server.stop();
  }
}

async function p99Figure(kind: 'pglite' | 'postgres', databaseUrl: string | undefined): Promise<Figure> {
  const merchants = 20;
  let env: NodeJS.ProcessEnv;
  let options: DatabaseOptions;
  let cleanup: () => Promise<void>;
  if (kind === 'postgres') {
    const schema = benchSchema('p99');
    options = { databaseUrl: databaseUrl!, schema };
    env = { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, LOG_LEVEL: 'info' };
    cleanup = () => dropSchema(databaseUrl!, schema);
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'aos-bench-pglite-'));
    options = { dataDir };
    env = { DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  try {
    // The embedded database belongs to one process at a time: seed first, then start the server.
    const db = await openDatabase(options);
    const tokens: string[] = [];
    try {
      for (let m = 0; m < merchants; m++) {
        const { token, merchant } = await createMerchant(db, `bench merchant ${m}`);
        await seedPlacedOrders(db, merchant.id, 200);
        tokens.push(token);
      }
    } finally {
      await db.close();
    }
    const result = await concurrentLoad(env, tokens, kind === 'postgres' ? 20 : 8, 60_000);
    const p99 = percentile(result.latencies, 99);
    const figure: Figure = {
      id: `backend.sync50_p99_20_merchants.${kind}`,
      figure: `backend: p99 latency of a 50-order sync, 20 concurrent merchants (${kind === 'postgres' ? 'PostgreSQL' : 'embedded PGlite'}, real server process)`,
      value: round(p99, 1),
      unit: 'ms',
      shown: `${round(p99, 1)} ms (p50 ${round(percentile(result.latencies, 50), 1)} ms, ${result.requests} requests, ${round((result.requests + result.warmUp.length) / result.seconds, 1)}/s)`,
      budget: kind === 'postgres' ? '< 100 ms' : '< 100 ms (PostgreSQL); reported',
      verdict: kind === 'postgres' ? (p99 < 100 && result.errors === 0 ? 'pass' : 'fail') : 'info',
      details: {
        requests: result.requests,
        errors: result.errors,
        p50: round(percentile(result.latencies, 50), 1),
        p90: round(percentile(result.latencies, 90), 1),
        p99: round(p99, 1),
        max: round(Math.max(...result.latencies), 1),
        seconds: round(result.seconds, 1),
        warmUpRequests: result.warmUp.length,
        warmUpP99: round(percentile(result.warmUp, 99), 1),
        method: `20 merchants × ${WARM_UP_PER_MERCHANT} + up to 20 (PostgreSQL) or 8 (embedded) sequential POST /v1/sync of 50 orders each (the first ${WARM_UP_PER_MERCHANT} of each merchant warm the server and its connections up and are not counted), all merchants at once, node:http over loopback with kept-alive connections, 60 s cap; requests/s counts every request`,
      },
    };
    return figure;
  } finally {
    await cleanup();
  }
}

export async function measureBackend(databaseUrl: string | undefined): Promise<Figure[]> {
  const figures: Figure[] = [];
  const budget = '≥ 5,000/s on PostgreSQL';

  log('backend: 1,000-order syncs on the embedded database');
  const embedded = await throughput({}, 5);
  figures.push({
    id: 'backend.sync_throughput.pglite',
    figure: 'backend: POST /v1/sync, 1,000-order batches, orders/s (embedded PGlite, in memory)',
    value: median(embedded.perSecond),
    unit: 'orders/s',
    shown: `${median(embedded.perSecond)} orders/s (${median(embedded.ms)} ms a batch)`,
    budget: `${budget}; reported`,
    verdict: 'info',
    details: { runsPerSecond: embedded.perSecond, runsMs: embedded.ms, ordersChanged: embedded.changed, statementsPerSync: embedded.queriesPerSync, shareOfTimeWaitingOnSql: embedded.sqlShare },
  });

  if (databaseUrl) {
    log('backend: 1,000-order syncs on PostgreSQL');
    const schema = benchSchema('sync');
    try {
      const pg = await throughput({ databaseUrl, schema }, 5);
      const value = median(pg.perSecond);
      figures.push({
        id: 'backend.sync_throughput.postgres',
        figure: 'backend: POST /v1/sync, 1,000-order batches, orders/s (PostgreSQL)',
        value,
        unit: 'orders/s',
        shown: `${value} orders/s (${median(pg.ms)} ms a batch)`,
        budget,
        verdict: value >= 5000 ? 'pass' : 'fail',
        details: { runsPerSecond: pg.perSecond, runsMs: pg.ms, ordersChanged: pg.changed, statementsPerSync: pg.queriesPerSync, shareOfTimeWaitingOnSql: pg.sqlShare, schema },
      });
    } finally {
      await dropSchema(databaseUrl, schema);
    }
  } else {
    figures.push({
      id: 'backend.sync_throughput.postgres',
      figure: 'backend: POST /v1/sync, 1,000-order batches, orders/s (PostgreSQL)',
      unit: 'orders/s',
      shown: 'skipped: DATABASE_URL is not set',
      budget,
      verdict: 'skipped',
    });
  }

  log('backend: 20 merchants at once, embedded database');
  figures.push(await p99Figure('pglite', undefined));
  if (databaseUrl) {
    log('backend: 20 merchants at once, PostgreSQL');
    figures.push(await p99Figure('postgres', databaseUrl));
  } else {
    figures.push({
      id: 'backend.sync50_p99_20_merchants.postgres',
      figure: 'backend: p99 latency of a 50-order sync, 20 concurrent merchants (PostgreSQL)',
      unit: 'ms',
      shown: 'skipped: DATABASE_URL is not set',
      budget: '< 100 ms',
      verdict: 'skipped',
    });
  }
  return figures;
}
