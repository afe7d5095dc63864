/**
 * Backend test harness. Every suite runs on the embedded database (PGlite, in memory) and, when
 * DATABASE_URL is set, on PostgreSQL too, in a schema of its own so that files run in parallel.
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { AliOrder, Package, Snapshot } from '../../lib/domain/snapshot';
import { createApp } from '../../server/app';
import { createMerchant } from '../../server/auth';
import { openDatabase, type Database } from '../../server/db';
import { silentLogger } from '../../server/log';

export type DatabaseKind = 'pglite' | 'postgres';

/** The databases to run on: `describe.each(DATABASES)('on %s', (kind) => …)`. */
export const DATABASES: DatabaseKind[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A PostgreSQL schema name that no other test file (or run) uses. */
export function uniqueSchema(testFile: string): string {
  const stem = basename(testFile).replace(/\W+/g, '_').toLowerCase().slice(0, 30);
  return `t_${stem}_${randomBytes(4).toString('hex')}`;
}

/** A fresh, migrated database; closing a PostgreSQL one drops its schema. */
export async function openTestDatabase(kind: DatabaseKind, testFile: string): Promise<Database> {
  if (kind === 'pglite') return openDatabase({});
  const databaseUrl = process.env.DATABASE_URL!;
  const schema = uniqueSchema(testFile);
  const db = await openDatabase({ databaseUrl, schema });
  return {
    ...db,
    kind: db.kind,
    async close() {
      await dropSchema(db, schema);
      await db.close();
    },
  };
}

export async function dropSchema(db: Database, schema: string): Promise<void> {
  await db.query(`drop schema if exists ${schema} cascade`);
}

/** A clock that tests move by hand. */
export class Clock {
  constructor(private at = new Date('2026-07-01T10:00:00.000Z')) {}
  now = (): Date => new Date(this.at);
  set(iso: string): void {
    this.at = new Date(iso);
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

export interface Call {
  method?: string;
  body?: unknown;
  /** Sent verbatim (for malformed JSON); wins over `body`. */
  raw?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

export interface TestBackend {
  db: Database;
  clock: Clock;
  app: ReturnType<typeof createApp>;
  /** A new merchant; its token is what `call` sends unless told otherwise. */
  merchant(timezone?: string): Promise<{ id: string; token: string }>;
  call<T = any>(token: string | null, path: string, init?: Omit<Call, 'token'>): Promise<{ status: number; body: T; headers: Headers }>;
  close(): Promise<void>;
}

let merchants = 0;

export async function openBackend(kind: DatabaseKind, testFile: string): Promise<TestBackend> {
  const db = await openTestDatabase(kind, testFile);
  const clock = new Clock();
  const app = createApp({ db, log: silentLogger, now: clock.now });
  return {
    db,
    clock,
    app,
    async merchant(timezone = 'UTC') {
      const { merchant, token } = await createMerchant(db, `merchant ${++merchants}`, timezone);
      return { id: merchant.id, token };
    },
    async call(token, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (init.raw !== undefined) body = init.raw;
      else if (init.body !== undefined) body = JSON.stringify(init.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await app.request(path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    close: () => db.close(),
  };
}

/**
 * One backend for a suite (opened before its first test, closed after its last) and one merchant
 * in it: `use` receives both once they exist.
 */
export function backendWithMerchant(kind: DatabaseKind, testFile: string, use: (backend: TestBackend, token: string) => void): void {
  let backend: TestBackend | undefined;
  beforeAll(async () => {
    backend = await openBackend(kind, testFile);
    use(backend, (await backend.merchant()).token);
  });
  afterAll(() => backend?.close());
}

// ---- Builders for what the extension sends ----

let keys = 0;
export const newKey = (): string => `key-${Date.now()}-${++keys}-${randomBytes(4).toString('hex')}`;

let ids = 0;
/** A fresh 16-digit AliExpress order id, unique within the run. */
export const newAliOrderId = (): string => `8${String(process.pid % 1000).padStart(3, '0')}${String(++ids).padStart(12, '0')}`;

export function pkg(trackingNumber: string, trackingStatus: Package['trackingStatus'], eventTimes: string[] = []): Package {
  return {
    trackingNumber,
    trackingStatus,
    carrier: 'Cainiao',
    events: eventTimes.map((at) => ({ at, text: `event at ${at}` })),
  };
}

export function aliOrder(aliOrderId: string, status: AliOrder['status'], extra: Partial<AliOrder> = {}): AliOrder {
  return { aliOrderId, status, packages: [], ...extra };
}

export function snapshot(capturedAt: string, orders: AliOrder[], kind: Snapshot['kind'] = 'order_detail'): Snapshot {
  return { kind, url: 'https://www.aliexpress.com/p/order/index.html', capturedAt, orders, warnings: [] };
}

export function syncBody(snapshots: Snapshot[], idempotencyKey = newKey()) {
  return { idempotencyKey, snapshots };
}

/** Creates a store order and places it with the given AliExpress orders (one supplier each). */
export async function placedOrder(
  backend: TestBackend,
  token: string,
  aliOrderIds: string[],
  opts: { storeOrderNumber?: string; paid?: boolean } = {},
): Promise<string> {
  const created = await backend.call<{ id: string }>(token, '/v1/store-orders', {
    body: { storeOrderNumber: opts.storeOrderNumber ?? `#${newAliOrderId().slice(-8)}`, paid: opts.paid ?? true },
  });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  if (aliOrderIds.length > 0) {
    const placed = await backend.call(token, `/v1/store-orders/${created.body.id}/place`, {
      body: { aliOrders: aliOrderIds.map((aliOrderId, i) => ({ aliOrderId, supplier: `Supplier ${i + 1}` })) },
    });
    if (placed.status !== 200) throw new Error(`place failed: ${JSON.stringify(placed.body)}`);
  }
  return created.body.id;
}
