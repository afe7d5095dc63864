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

describe('reading an English date', () => {
  it('never builds the other languages\' month table', async () => {
    const intl = globalThis.Intl.DateTimeFormat;
    let built = 0;
    globalThis.Intl.DateTimeFormat = function (...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
      built += 1;
      return new intl(...args);
    } as unknown as typeof Intl.DateTimeFormat;
    try {
      // A fresh copy of the module, so an earlier test's table does not hide the cost.
      const { vi } = await import('vitest');
      vi.resetModules();
      const { parseDisplayDate } = await import('../../../lib/aliexpress/text');
      expect(parseDisplayDate('Jul 15, 2026')).toBe('2026-07-15');
      expect(parseDisplayDate('Sep 1, 2026')).toBe('2026-09-01');
      expect(built).toBe(0);
    } finally {
      globalThis.Intl.DateTimeFormat = intl;
    }
  });
});
