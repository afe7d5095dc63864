/**
 * Puts a given state into the extension's IndexedDB and settings from one of its pages, with plain
 * IndexedDB and chrome.storage (nothing of the extension's code is imported), then reloads the
 * page so it reads the state afresh: raw writes send none of the worker's change signals.
 */
import type { Page } from '@playwright/test';
import type { CachedAliOrder, CachedStoreOrder, MetaEntry, OutboxEntry, SeenRead } from '../../lib/cache/db';
import { idList } from '../../lib/cache/id-list';
import { CACHE_DB_NAME, CACHE_DB_VERSION } from '../../lib/cache/layout';
import type { OrderView } from '../../lib/domain/api';
import type { AliOrderStatus, TrackingStatus } from '../../lib/domain/snapshot';
import type { SyncRun } from '../../lib/cache/sync-run';
import type { Settings } from '../../lib/settings';
import { expect, type Extension } from './fixtures';

export interface CacheSeed {
  storeOrders?: CachedStoreOrder[];
  aliOrders?: CachedAliOrder[];
  outbox?: OutboxEntry[];
  meta?: MetaEntry[];
  syncRuns?: SyncRun[];
  /** When pages last showed the orders (lib/cache/seen.ts). */
  seen?: SeenRead[];
}

/**
 * Writes the seed into the database the worker created, table by table. The worker creates it at
 * start-up (the pages only read it): opened before that, it would be created empty, without tables.
 */
export async function seedCache(page: Page, seed: CacheSeed): Promise<void> {
  await expect
    // Dexie's version n is IndexedDB's version 10n: the worker has opened it once it is there.
    .poll(() => page.evaluate(async (db) => (await indexedDB.databases()).some((d) => d.name === db.name && (d.version ?? 0) >= db.version * 10), { name: CACHE_DB_NAME, version: CACHE_DB_VERSION }))
    .toBe(true);
  await page.evaluate(
    ({ rows, name }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.addEventListener('error', () => reject(open.error));
        open.addEventListener('success', () => {
          const db = open.result;
          const tables = Object.keys(rows).filter((t) => (rows as Record<string, unknown[]>)[t]!.length > 0);
          if (tables.length === 0) return resolve();
          // A throw in this handler would be lost, and the test would wait for nothing.
          try {
            const tx = db.transaction(tables, 'readwrite');
            for (const table of tables) for (const row of (rows as Record<string, unknown[]>)[table]!) tx.objectStore(table).put(row);
            tx.addEventListener('complete', () => (db.close(), resolve()));
            tx.addEventListener('error', () => reject(tx.error));
          } catch (error) {
            reject(error);
          }
        });
      }),
    { rows: seed, name: CACHE_DB_NAME },
  );
}

/**
 * Settings for a backend nobody listens on: the popup counts as configured, and nothing that
 * runs by itself can replace the seeded orders with a real backend's view.
 */
export const OFFLINE_BACKEND: Partial<Settings> = { backendUrl: 'http://127.0.0.1:9', apiToken: 'seeded-token' };

export async function seedSettings(page: Page, settings: Partial<Settings>): Promise<void> {
  await page.evaluate(async (patch) => {
    const current = ((await chrome.storage.local.get('settings')).settings ?? {}) as Record<string, unknown>;
    await chrome.storage.local.set({ settings: { autoSync: true, pauseBetweenPagesMs: 3000, notifications: true, ...current, ...patch } });
  }, settings);
}

/** Opens the popup at its real size with the given state in place. */
export async function openPopupWith(extension: Extension, seed: CacheSeed, settings: Partial<Settings> = OFFLINE_BACKEND): Promise<Page> {
  const page = await extension.openPage('popup.html');
  await page.setViewportSize({ width: 420, height: 590 });
  await expect(page.getByRole('heading', { name: 'Ali Order Sync' })).toBeVisible();
  await expect(page.getByTestId('sync-status')).toBeVisible();
  await seedSettings(page, settings);
  await seedCache(page, seed);
  await page.reload();
  return page;
}

// ---- Orders, relative to a fixed "now" so the flags are what the test says -------------------

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const ago = (now: number, ms: number) => new Date(now - ms).toISOString();

export interface PackageSeed {
  trackingNumber: string;
  carrier?: string;
  status: TrackingStatus;
  lastEventAt?: string | null;
  firstEventAt?: string | null;
  /** The carrier's words for the newest event; stored where the pages put them (aliOrders). */
  lastEventText?: string;
}

export interface AliSeed {
  aliOrderId: string;
  supplier?: string;
  status: AliOrderStatus;
  paidAt?: string | null;
  packages?: PackageSeed[];
}

/** A store order as the backend describes it, plus what the pages showed of its AliExpress orders. */
export function storeOrder(
  id: string,
  storeOrderNumber: string,
  state: OrderView['state'],
  aliOrders: AliSeed[],
  pulledAt: string,
  extra: Partial<OrderView> = {},
): { store: CachedStoreOrder; ali: CachedAliOrder[] } {
  const store: CachedStoreOrder = {
    id,
    storeOrderNumber,
    state,
    flags: [],
    paid: true,
    fulfillmentMode: 'auto',
    locked: false,
    placingError: null,
    trackingStatus: aliOrders.flatMap((a) => a.packages ?? [])[0]?.status ?? null,
    manualTrackingStatus: null,
    aliOrders: aliOrders.map((a) => ({
      aliOrderId: a.aliOrderId,
      supplier: a.supplier ?? null,
      status: a.status,
      paidAt: a.paidAt ?? null,
      lastSeenAt: pulledAt,
      packages: (a.packages ?? []).map((p) => ({
        trackingNumber: p.trackingNumber,
        carrier: p.carrier ?? null,
        trackingStatus: p.status,
        lastEventAt: p.lastEventAt ?? null,
        firstEventAt: p.firstEventAt ?? p.lastEventAt ?? null,
        firstSeenAt: p.firstEventAt ?? p.lastEventAt ?? pulledAt,
      })),
    })),
    ...extra,
    aliOrderIds: aliOrders.map((a) => a.aliOrderId),
    pulledAt,
  };
  const ali: CachedAliOrder[] = aliOrders.map((a) => ({
    aliOrderId: a.aliOrderId,
    order: {
      aliOrderId: a.aliOrderId,
      status: a.status,
      storeName: a.supplier,
      packages: (a.packages ?? []).map((p) => ({
        trackingNumber: p.trackingNumber,
        carrier: p.carrier,
        trackingStatus: p.status,
        events: p.lastEventAt && p.lastEventText ? [{ at: p.lastEventAt, text: p.lastEventText }] : [],
      })),
    },
  }));
  return { store, ali };
}

/** The orders' rows, their AliExpress orders' rows, and those seen when the store order was pulled. */
export function combine(orders: { store: CachedStoreOrder; ali: CachedAliOrder[] }[]): Pick<CacheSeed, 'storeOrders' | 'aliOrders' | 'seen'> {
  const byTime = new Map<string, string[]>();
  for (const { store, ali } of orders) {
    if (!byTime.has(store.pulledAt)) byTime.set(store.pulledAt, []);
    byTime.get(store.pulledAt)!.push(...ali.map((a) => a.aliOrderId));
  }
  const seen = [...byTime].map(([at, ids], i): SeenRead => ({ id: i + 1, at, ...idList(ids) }));
  return { storeOrders: orders.map((o) => o.store), aliOrders: orders.flatMap((o) => o.ali), seen };
}

/** A 16-digit AliExpress order id from a small number. */
export const aliId = (n: number) => String(8_200_000_000_000_000 + n);
