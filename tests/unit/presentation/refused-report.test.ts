import { describe, expect, it } from 'vitest';
import { buildRefusedReport } from '../../../lib/presentation/refused-report';

describe('the page report of refused changes', () => {
  it('says what was read, what the backend answered and when it was set aside, without personal data', () => {
    const report = buildRefusedReport([
      {
        reason: 'The backend refused the request: statusText holds a NUL (ana@example.com)',
        status: 400,
        parkedAt: '2026-11-22T10:30:00.000Z',
        entry: {
          idempotencyKey: 'k',
          createdAt: '2026-11-22T09:00:00.000Z',
          attempts: 5,
          refusals: 5,
          snapshot: {
            kind: 'order_detail',
            url: 'https://www.aliexpress.com/p/order/detail.html?orderId=8214398062177351&buyer=ana',
            capturedAt: '2026-11-22T09:00:00.000Z',
            warnings: [],
            orders: [{ aliOrderId: '8214398062177351', status: 'shipped', statusText: 'Shipped\u0000', packages: [] }],
          },
        },
      },
    ]);
    expect(report).toContain('order_detail read at 2026-11-22T09:00:00.000Z, set aside at 2026-11-22T10:30:00.000Z after 5 refusals');
    expect(report).toContain('HTTP 400: [removed] backend refused the request: statusText holds a [removed]');
    expect(report).toContain('Orders: 8214398062177351');
    expect(report).not.toMatch(/ana@|buyer=ana/);
  });
});
