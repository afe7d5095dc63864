/**
 * `npm run bench -- soak`: 20 merchants syncing against the real server process while a hostile
 * client sends garbage and oversized unauthenticated bodies, for a bounded time, over loopback.
 * The merchants' p99 with and without the hostile client, the server's peak memory, the answers
 * of each kind, an unauthenticated 1 MB body's answer time, and every merchant's orders checked
 * afterwards against what their answered syncs said (nothing lost, nothing mixed).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrdersResponse, SyncRequest } from '../lib/domain/api';
import { startBackend } from '../scripts/lib/backend-process';
import { createMerchant } from '../server/auth';
import { openDatabase, type DatabaseOptions } from '../server/db';
import { benchSchema, dropSchema, postSync, seedPlacedOrders, syncBatch, WARM_UP_PER_MERCHANT } from './backend';
import { log, median, percentile, round, type Figure } from './lib';

const MERCHANTS = 20;
const ORDERS_PER_MERCHANT = 200;
/** Counted syncs per merchant in each phase (after the warm-up of the first). */
const SYNCS_PER_PHASE = 20;
const HOSTILE_WORKERS = 4;
/** The hostile client stops at whichever comes first. */
const HOSTILE_MAX_REQUESTS = 4000;
const PHASE_DEADLINE_MS = 90_000;
const START = Date.UTC(2026, 10, 20, 12);

type Kind = 'garbage_bad_token' | 'unauth_1mb' | 'oversized_declared_5mb' | 'oversized_chunked_5mb' | 'deep_nesting_no_token';
const KINDS: Kind[] = ['garbage_bad_token', 'unauth_1mb', 'oversized_declared_5mb', 'oversized_chunked_5mb', 'deep_nesting_no_token'];

/** One request of any shape; resolves with the status and the time to the whole answer. */
function send(agent: Agent, url: URL, init: { path: string; headers: Record<string, string | number>; body: Buffer | string; chunked?: boolean }): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = httpRequest({ agent, host: url.hostname, port: url.port, path: init.path, method: 'POST', headers: init.headers }, (res) => {
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      res.on('error', () => resolve({ status: -1, ms: performance.now() - started }));
      res.resume();
    });
    // A server that answers before the whole body is sent may close the connection under it.
    req.on('error', () => resolve({ status: -1, ms: performance.now() - started }));
    if (init.chunked) {
      const body = Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body);
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
      req.end();
    } else {
      req.end(init.body);
    }
  });
}

/** The hostile requests, made once. */
function hostileBodies() {
  const oneMb = JSON.stringify({ idempotencyKey: 'hostile-key', snapshots: Array.from({ length: 20_000 }, () => ({})) }).padEnd(1024 * 1024, ' ');
  const fiveMb = randomBytes(5 * 1024 * 1024);
  return {
    garbage_bad_token: { headers: { authorization: 'Bearer aos_not-a-real-token-at-all', 'content-type': 'application/json' }, body: randomBytes(64 * 1024) },
    unauth_1mb: { headers: { 'content-type': 'application/json' }, body: oneMb },
    oversized_declared_5mb: { headers: { authorization: 'Bearer aos_not-a-real-token-at-all', 'content-type': 'application/json' }, body: fiveMb },
    oversized_chunked_5mb: { headers: { authorization: 'Bearer aos_not-a-real-token-at-all', 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: fiveMb, chunked: true },
    deep_nesting_no_token: { headers: { 'content-type': 'application/json' }, body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
  } satisfies Record<Kind, { headers: Record<string, string>; body: Buffer | string; chunked?: boolean }>;
}

/** The process that runs server/main.ts: tsx starts it as its child. Peak resident memory (VmHWM) of the tree's largest. */
function peakRssMb(rootPid: number): number {
  const pids = [rootPid];
  for (let i = 0; i < pids.length; i++) {
    try {
      for (const child of readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) pids.push(Number(child));
    } catch {
      // gone already
    }
  }
  let peak = 0;
  for (const pid of pids) {
    try {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, kb / 1024);
    } catch {
      // gone already
    }
  }
  return peak;
}

/** What a merchant's answered syncs say its orders must show: the newest capture of each. */
interface Expected {
  status: string;
  lastSeenAt: string;
  trackingStatus?: string;
}

function record(expected: Map<number, Expected>, request: SyncRequest): void {
  for (const s of request.snapshots) {
    for (const o of s.orders) {
      const n = Number(o.aliOrderId) - 8_400_000_000_000_000;
      const before = expected.get(n);
      if (before && before.lastSeenAt > new Date(s.capturedAt).toISOString()) continue;
      expected.set(n, { status: o.status, lastSeenAt: new Date(s.capturedAt).toISOString(), trackingStatus: o.packages[0]?.trackingStatus ?? before?.trackingStatus });
    }
  }
}

async function ordersOf(url: URL, token: string): Promise<OrdersResponse['orders']> {
  const res = await fetch(new URL('/v1/orders?limit=500', url), { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /v1/orders answered ${res.status}`);
  return ((await res.json()) as OrdersResponse).orders;
}

/** Every merchant's orders as its answered syncs left them; each problem found, in words. */
async function checkOrders(url: URL, tokens: string[], expected: Map<number, Expected>[]): Promise<string[]> {
  const problems: string[] = [];
  for (const [m, token] of tokens.entries()) {
    const orders = await ordersOf(url, token);
    if (orders.length !== ORDERS_PER_MERCHANT) problems.push(`merchant ${m}: ${orders.length} orders, not ${ORDERS_PER_MERCHANT}`);
    for (const order of orders) {
      const n = Number(order.storeOrderNumber.slice(1));
      const ali = order.aliOrders[0];
      const want = expected[m]!.get(n);
      if (order.aliOrders.length !== 1 || ali?.aliOrderId !== String(8_400_000_000_000_000 + n)) problems.push(`merchant ${m}: ${order.storeOrderNumber} has AliExpress orders ${order.aliOrders.map((a) => a.aliOrderId).join(',')}`);
      else if (!want) continue;
      else if (ali.status !== want.status || ali.lastSeenAt !== want.lastSeenAt || (want.trackingStatus && ali.packages[0]?.trackingStatus !== want.trackingStatus)) {
        problems.push(`merchant ${m}: ${order.storeOrderNumber} shows ${ali.status} seen ${ali.lastSeenAt}, its answered syncs said ${want.status} seen ${want.lastSeenAt}`);
      }
    }
  }
  return problems;
}

export async function measureSoak(databaseUrl: string | undefined): Promise<Figure[]> {
  const kind = databaseUrl ? 'postgres' : 'pglite';
  let env: NodeJS.ProcessEnv;
  let options: DatabaseOptions;
  let cleanup: () => Promise<void>;
  if (databaseUrl) {
    const schema = benchSchema('soak');
    options = { databaseUrl, schema };
    env = { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, LOG_LEVEL: 'info' };
    cleanup = () => dropSchema(databaseUrl, schema);
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'aos-bench-soak-'));
    options = { dataDir };
    env = { DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  try {
    log(`soak: seeding ${MERCHANTS} merchants (${kind})`);
    const db = await openDatabase(options);
    const tokens: string[] = [];
    try {
      for (let m = 0; m < MERCHANTS; m++) {
        const { token, merchant } = await createMerchant(db, `soak merchant ${m}`);
        await seedPlacedOrders(db, merchant.id, ORDERS_PER_MERCHANT);
        tokens.push(token);
      }
    } finally {
      await db.close();
    }
    const perMerchant = WARM_UP_PER_MERCHANT + 2 * SYNCS_PER_PHASE;
    const requests = tokens.map((_t, m) => Array.from({ length: perMerchant }, (_b, i) => syncBatch(1 + ((i * 50) % ORDERS_PER_MERCHANT), 50, i + m, new Date(START + i * 600_000))));
    const bodies = requests.map((list) => list.map((r) => JSON.stringify(r)));
    const expected = tokens.map(() => new Map<number, Expected>());
    const merchantAnswers: Record<string, number> = {};

    const server = await startBackend(env);
    const url = new URL(server.url);
    const agent = new Agent({ keepAlive: true, maxSockets: MERCHANTS });
    try {
      /** Requests from..to-1 of every merchant, all merchants at once; the latencies of those at or past `countFrom`. */
      const phase = async (from: number, to: number, countFrom: number) => {
        const latencies: number[] = [];
        const deadline = performance.now() + PHASE_DEADLINE_MS;
        await Promise.all(
          tokens.map(async (token, m) => {
            for (let i = from; i < to && performance.now() < deadline; i++) {
              const t0 = performance.now();
              const status = await postSync(agent, url, token, bodies[m]![i]!).catch(() => -1);
              const ms = performance.now() - t0;
              merchantAnswers[status] = (merchantAnswers[status] ?? 0) + 1;
              if (status === 200) record(expected[m]!, requests[m]![i]!);
              if (i >= countFrom) latencies.push(ms);
            }
          }),
        );
        return latencies;
      };

      log('soak: merchants alone');
      const quiet = await phase(0, WARM_UP_PER_MERCHANT + SYNCS_PER_PHASE, WARM_UP_PER_MERCHANT);

      log('soak: merchants with the hostile client');
      const hostile = hostileBodies();
      const hostileAgent = new Agent({ keepAlive: true, maxSockets: HOSTILE_WORKERS });
      const hostileAnswers: Record<string, Record<string, number>> = {};
      const unauthDuringMs: number[] = [];
      let sent = 0;
      const merchantsDone = { value: false };
      const workers = Array.from({ length: HOSTILE_WORKERS }, async (_w, w) => {
        for (let i = w; !merchantsDone.value && sent < HOSTILE_MAX_REQUESTS; i += HOSTILE_WORKERS) {
          sent++;
          const which = KINDS[i % KINDS.length]!;
          const { status, ms } = await send(hostileAgent, url, { path: '/v1/sync', ...hostile[which] });
          (hostileAnswers[which] ??= {})[status] = ((hostileAnswers[which] ??= {})[status] ?? 0) + 1;
          if (which === 'unauth_1mb') unauthDuringMs.push(ms);
        }
      });
      const underAttack = await phase(WARM_UP_PER_MERCHANT + SYNCS_PER_PHASE, perMerchant, WARM_UP_PER_MERCHANT + SYNCS_PER_PHASE);
      merchantsDone.value = true;
      await Promise.all(workers);
      hostileAgent.destroy();

      log('soak: unauthenticated 1 MB bodies on a quiet server');
      const quietAgent = new Agent({ keepAlive: true, maxSockets: 1 });
      const unauthQuietMs: number[] = [];
      for (let i = 0; i < 20; i++) unauthQuietMs.push((await send(quietAgent, url, { path: '/v1/sync', ...hostile.unauth_1mb })).ms);
      quietAgent.destroy();

      const peakMb = peakRssMb(server.process.pid!);
      log('soak: checking every merchant\'s orders');
      const problems = await checkOrders(url, tokens, expected);

      const p99Quiet = percentile(quiet, 99);
      const p99Hostile = percentile(underAttack, 99);
      const unauthMedian = median(unauthQuietMs);
      const db_ = kind === 'postgres' ? 'PostgreSQL' : 'embedded PGlite';
      return [
        {
          id: 'soak.merchants_p99_quiet',
          figure: `soak: merchants' p99 of a 50-order sync, ${MERCHANTS} merchants, no hostile client (${db_})`,
          value: round(p99Quiet, 1),
          unit: 'ms',
          shown: `${round(p99Quiet, 1)} ms (p50 ${round(percentile(quiet, 50), 1)} ms, ${quiet.length} requests)`,
          budget: 'reference for the next figure',
          verdict: 'info',
        },
        {
          id: 'soak.merchants_p99_hostile',
          figure: `soak: merchants' p99 of a 50-order sync while a hostile client sends garbage and oversized unauthenticated bodies (${db_})`,
          value: round(p99Hostile, 1),
          unit: 'ms',
          shown: `${round(p99Hostile, 1)} ms (${round(p99Hostile / p99Quiet, 2)}× the quiet p99; p50 ${round(percentile(underAttack, 50), 1)} ms, ${underAttack.length} requests; ${sent} hostile requests)`,
          budget: '≤ 2× the quiet p99',
          verdict: p99Hostile <= 2 * p99Quiet && underAttack.length > 0 ? 'pass' : 'fail',
          details: { ratio: round(p99Hostile / p99Quiet, 2), hostileRequests: sent, hostileWorkers: HOSTILE_WORKERS, kinds: KINDS },
        },
        {
          id: 'soak.server_peak_rss',
          figure: 'soak: the server process\'s peak resident memory (VmHWM) over the whole soak',
          value: round(peakMb, 1),
          unit: 'MB',
          shown: `${round(peakMb, 1)} MB`,
          budget: '< 300 MB',
          verdict: peakMb > 0 && peakMb < 300 ? 'pass' : 'fail',
        },
        {
          id: 'soak.unauth_1mb_ms',
          figure: 'soak: an unauthenticated 1 MB body answered (median of 20 on a quiet server)',
          value: round(unauthMedian, 1),
          unit: 'ms',
          shown: `${round(unauthMedian, 1)} ms (max ${round(Math.max(...unauthQuietMs), 1)} ms; under attack p50 ${round(percentile(unauthDuringMs, 50), 1)} ms, p99 ${round(percentile(unauthDuringMs, 99), 1)} ms)`,
          budget: '< 50 ms',
          verdict: unauthMedian < 50 ? 'pass' : 'fail',
          details: { quietRunsMs: unauthQuietMs.map((v) => round(v, 1)), underAttackP50: round(percentile(unauthDuringMs, 50), 1), underAttackP99: round(percentile(unauthDuringMs, 99), 1) },
        },
        {
          id: 'soak.answers_per_kind',
          figure: 'soak: answers per kind of request (status: count)',
          unit: '',
          shown: [`merchants ${JSON.stringify(merchantAnswers)}`, ...Object.entries(hostileAnswers).map(([k, v]) => `${k} ${JSON.stringify(v)}`)].join('; '),
          budget: 'merchants all 200, hostile never 2xx or 5xx',
          verdict:
            Object.keys(merchantAnswers).every((s) => s === '200') &&
            Object.values(hostileAnswers).every((byStatus) => Object.keys(byStatus).every((s) => s === '-1' || (Number(s) >= 400 && Number(s) < 500)))
              ? 'pass'
              : 'fail',
          details: { merchants: merchantAnswers, hostile: hostileAnswers, note: 'status -1: the server closed the connection while an oversized body was still being sent, after answering 413' },
        },
        {
          id: 'soak.orders_intact',
          figure: `soak: every merchant's ${ORDERS_PER_MERCHANT} orders as their answered syncs said (nothing lost, nothing mixed)`,
          value: problems.length,
          unit: 'problems',
          shown: problems.length === 0 ? `all ${MERCHANTS * ORDERS_PER_MERCHANT} orders as expected` : `${problems.length} problems: ${problems.slice(0, 3).join('; ')}`,
          budget: '0 problems',
          verdict: problems.length === 0 ? 'pass' : 'fail',
          details: { problems: problems.slice(0, 50) },
        },
      ];
    } finally {
      agent.destroy();
      await server.stop();
    }
  } finally {
    await cleanup();
  }
}
