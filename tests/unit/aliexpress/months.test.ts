import { describe, expect, it } from 'vitest';
import { monthFromWord } from '../../../lib/aliexpress/text';

describe('month names', () => {
  it("English names, answered without Intl, agree with the runtime's own English names", () => {
    for (let month = 1; month <= 12; month++) {
      const date = new Date(Date.UTC(2026, month - 1, 15));
      for (const style of ['short', 'long'] as const) {
        expect(monthFromWord(new Intl.DateTimeFormat('en-US', { month: style, timeZone: 'UTC' }).format(date))).toBe(month);
      }
    }
  });

  it('other languages come from the Intl table, declined forms included', () => {
    expect(monthFromWord('juil.')).toBe(7);
    expect(monthFromWord('июля')).toBe(7);
    expect(monthFromWord('lipca')).toBe(7);
    expect(monthFromWord('Tem')).toBe(7);
    expect(monthFromWord('banana')).toBeUndefined();
  });
});
