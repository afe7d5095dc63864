import { describe, expect, it } from 'vitest';
import { csvField, ordersToCsv } from '../../../lib/presentation/csv';
import { DAY, NOW, ago, ali, order, pkg } from './orders';

describe('CSV export', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField(null)).toBe('');
    expect(csvField(false)).toBe('false');
  });

  it('one line per package, per AliExpress order without one, per unplaced store order', () => {
    const csv = ordersToCsv(
      [
        order({ aliOrders: [ali({ packages: [pkg({ trackingNumber: 'A' }), pkg({ trackingNumber: 'B' })] }), ali({ aliOrderId: '8200000000000002', status: 'awaiting_shipment', paidAt: ago(9 * DAY) })] }),
        order({ storeOrderNumber: '#1002', state: 'awaiting_order' }),
      ],
      NOW,
    );
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(1 + 4 + 1);
    expect(lines[1]).toMatch(/^#1001,fulfilled,,attention,false,8200000000000001,LIMA Store,shipped,.*,A,Cainiao,in_transit,/);
    expect(lines[3]).toContain(',8200000000000002,LIMA Store,awaiting_shipment,');
    expect(lines[4]).toBe('#1002,awaiting_order,,,false,,,,,,,,');
  });
});
