import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SYNC_ALARM, ensureSyncAlarm } from '../../../lib/background/alarms';
import { handleMessage } from '../../../lib/background/messaging';
import type { SyncService } from '../../../lib/background/sync-service';

const service = (): SyncService & { captured: unknown[]; syncs: number } => {
  const s = {
    captured: [] as unknown[],
    syncs: 0,
    capture: vi.fn(async (snapshot: unknown) => void s.captured.push(snapshot)),
    syncNow: vi.fn(async () => void (s.syncs += 1)),
    autoSync: vi.fn(async () => undefined),
    startManualSync: vi.fn(async () => {
      throw new Error('not in these tests');
    }),
    cancelManualSync: vi.fn(async () => false),
    recover: vi.fn(async () => undefined),
  };
  return s;
};

describe('the message channel', () => {
  it('refuses a malformed snapshot with a clear error and passes nothing on', async () => {
    const s = service();
    const reply = await handleMessage({ type: 'snapshot', snapshot: { kind: 'order_list', orders: [{ aliOrderId: '123' }] } }, s);
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error).toMatch(/^malformed message: /);
    expect(s.captured).toEqual([]);
  });

  it('refuses messages of unknown types', async () => {
    expect(await handleMessage({ type: 'delete-everything' }, service())).toMatchObject({ ok: false });
    expect(await handleMessage('hello', service())).toMatchObject({ ok: false });
  });

  it('passes a valid snapshot on', async () => {
    const s = service();
    const snapshot = { kind: 'order_list', url: 'https://www.aliexpress.com/p/order/index.html', capturedAt: '2026-11-22T09:00:00.000Z', orders: [], warnings: [] };
    expect(await handleMessage({ type: 'snapshot', snapshot }, s)).toEqual({ ok: true });
    expect(s.captured).toEqual([snapshot]);
  });

  it('reports a failing sync as an error reply rather than a broken channel', async () => {
    const s = service();
    s.syncNow = vi.fn(async () => {
      throw new Error('disk full');
    });
    expect(await handleMessage({ type: 'sync-now' }, s)).toEqual({ ok: false, error: 'disk full' });
  });
});

describe('the sync alarm', () => {
  beforeEach(() => fakeBrowser.reset());

  it('is created every 10 minutes when missing, and left alone when present', async () => {
    await ensureSyncAlarm();
    const alarm = await fakeBrowser.alarms.get(SYNC_ALARM);
    expect(alarm?.periodInMinutes).toBe(10);
    await fakeBrowser.alarms.create(SYNC_ALARM, { periodInMinutes: 10, when: 42 });
    await ensureSyncAlarm();
    expect((await fakeBrowser.alarms.get(SYNC_ALARM))?.scheduledTime).toBe(42);
  });
});
