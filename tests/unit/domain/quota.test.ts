/** "You can only use this 10 times a day, give it 10 minutes before you click on it again" */
import { describe, expect, it } from 'vitest';
import {
  NO_USAGE,
  decideManualSync,
  isValidTimeZone,
  localDay,
  quotaState,
  startOfNextLocalDay,
  usageOf,
  type ManualSyncUsage,
} from '../../../lib/domain/quota';

const at = (iso: string) => new Date(iso);
const usage = (day: string | null, used: number, lastAt: string | null): ManualSyncUsage => ({ day, used, lastAt: lastAt ? at(lastAt) : null });

describe('decideManualSync', () => {
  it.each<[string, ManualSyncUsage, string, string, ReturnType<typeof decideManualSync>]>([
    ['first ever', NO_USAGE, '2026-07-01T10:00:00Z', 'UTC', { allowed: true, usage: usage('2026-07-01', 1, '2026-07-01T10:00:00Z') }],
    ['9 used, 10 min after the last', usage('2026-07-01', 9, '2026-07-01T09:50:00Z'), '2026-07-01T10:00:00Z', 'UTC', { allowed: true, usage: usage('2026-07-01', 10, '2026-07-01T10:00:00Z') }],
    ['10 used today', usage('2026-07-01', 10, '2026-07-01T08:00:00Z'), '2026-07-01T10:00:00Z', 'UTC', { allowed: false, rule: 'daily_limit', retryAt: at('2026-07-02T00:00:00Z') }],
    ['10 used yesterday', usage('2026-06-30', 10, '2026-06-30T23:00:00Z'), '2026-07-01T10:00:00Z', 'UTC', { allowed: true, usage: usage('2026-07-01', 1, '2026-07-01T10:00:00Z') }],
  ])('"You can only use this 10 times a day": %s', (_n, u, now, tz, expected) => {
    expect(decideManualSync(u, at(now), tz)).toEqual(expected);
  });

  it.each<[string, ManualSyncUsage, string, ReturnType<typeof decideManualSync>]>([
    ['9 min 59 s after the last', usage('2026-07-01', 1, '2026-07-01T10:00:00Z'), '2026-07-01T10:09:59Z', { allowed: false, rule: 'cooldown', retryAt: at('2026-07-01T10:10:00Z') }],
    ['exactly 10 min after the last', usage('2026-07-01', 1, '2026-07-01T10:00:00Z'), '2026-07-01T10:10:00Z', { allowed: true, usage: usage('2026-07-01', 2, '2026-07-01T10:10:00Z') }],
    ['across midnight: 23:55 then 00:01', usage('2026-07-01', 3, '2026-07-01T23:55:00Z'), '2026-07-02T00:01:00Z', { allowed: false, rule: 'cooldown', retryAt: at('2026-07-02T00:05:00Z') }],
    ['the clock went back', usage('2026-07-01', 1, '2026-07-01T10:00:00Z'), '2026-07-01T09:00:00Z', { allowed: false, rule: 'cooldown', retryAt: at('2026-07-01T10:10:00Z') }],
    ['both rules: the daily limit answers', usage('2026-07-01', 10, '2026-07-01T10:00:00Z'), '2026-07-01T10:01:00Z', { allowed: false, rule: 'daily_limit', retryAt: at('2026-07-02T00:00:00Z') }],
  ])('"give it 10 minutes before you click on it again": %s', (_n, u, now, expected) => {
    expect(decideManualSync(u, at(now), 'UTC')).toEqual(expected);
  });

  it.each<[string, string, string, string]>([
    ['Los Angeles (UTC-7 in summer) at 06:59 UTC', 'America/Los_Angeles', '2026-07-02T06:59:00Z', '2026-07-01'],
    ['Los Angeles at 07:00 UTC', 'America/Los_Angeles', '2026-07-02T07:00:00Z', '2026-07-02'],
    ['Shanghai (UTC+8) at 16:00 UTC', 'Asia/Shanghai', '2026-07-01T16:00:00Z', '2026-07-02'],
    ['Kathmandu (UTC+5:45) at 18:14 UTC', 'Asia/Kathmandu', '2026-07-01T18:14:00Z', '2026-07-01'],
    ['Kathmandu at 18:15 UTC', 'Asia/Kathmandu', '2026-07-01T18:15:00Z', '2026-07-02'],
  ])('"10 times a day" — a day in the merchant\'s timezone: %s', (_n, tz, now, day) => {
    expect(localDay(at(now), tz)).toBe(day);
    // A full day yesterday does not hold back today.
    const full = usage(localDay(new Date(at(now).getTime() - 86_400_000), tz), 10, '2000-01-01T00:00:00Z');
    expect(decideManualSync(full, at(now), tz).allowed).toBe(true);
  });
});

describe('startOfNextLocalDay', () => {
  it.each<[string, string, string, string]>([
    ['UTC', 'UTC', '2026-07-01T10:00:00Z', '2026-07-02T00:00:00.000Z'],
    // 10:00 UTC is still 1 July 03:00 in Los Angeles.
    ['Los Angeles, summer', 'America/Los_Angeles', '2026-07-01T10:00:00Z', '2026-07-02T07:00:00.000Z'],
    ['Los Angeles, the day DST ends (25 h)', 'America/Los_Angeles', '2026-11-01T08:00:00Z', '2026-11-02T08:00:00.000Z'],
    ['Berlin, the day DST starts (23 h)', 'Europe/Berlin', '2026-03-29T00:30:00Z', '2026-03-29T22:00:00.000Z'],
    ['Santiago, where midnight is skipped when DST starts', 'America/Santiago', '2026-09-05T12:00:00Z', '2026-09-06T04:00:00.000Z'],
  ])('"10 times a day" — when the next day starts: %s', (_n, tz, now, expected) => {
    const next = startOfNextLocalDay(at(now), tz);
    expect(next.toISOString()).toBe(expected);
    expect(localDay(next, tz)).not.toBe(localDay(at(now), tz));
    expect(localDay(new Date(next.getTime() - 1000), tz)).toBe(localDay(at(now), tz));
  });
});

describe('quotaState', () => {
  it.each<[string, ManualSyncUsage, string, Partial<ReturnType<typeof quotaState>>]>([
    ['fresh', NO_USAGE, '2026-07-01T10:00:00Z', { used: 0, remaining: 10, blockedBy: null, nextAllowedAt: null }],
    ['in cooldown', usage('2026-07-01', 2, '2026-07-01T09:55:00Z'), '2026-07-01T10:00:00Z', { used: 2, remaining: 8, blockedBy: 'cooldown', nextAllowedAt: '2026-07-01T10:05:00.000Z' }],
    ['day used up', usage('2026-07-01', 10, '2026-07-01T09:00:00Z'), '2026-07-01T10:00:00Z', { used: 10, remaining: 0, blockedBy: 'daily_limit', nextAllowedAt: '2026-07-02T00:00:00.000Z' }],
    ['yesterday used up', usage('2026-06-30', 10, '2026-06-30T09:00:00Z'), '2026-07-01T10:00:00Z', { used: 0, remaining: 10, blockedBy: null }],
  ])('"the extension shows it before the click": %s', (_n, u, now, expected) => {
    expect(quotaState(u, at(now), 'UTC')).toMatchObject(expected);
  });

  it('"the extension shows it before the click": the popup recomputes the last answer later, offline', () => {
    const answered = quotaState(usage('2026-07-01', 3, '2026-07-01T09:55:00Z'), at('2026-07-01T10:00:00Z'), 'UTC');
    expect(quotaState(usageOf(answered), at('2026-07-01T10:06:00Z'), 'UTC')).toMatchObject({ used: 3, blockedBy: null });
    expect(quotaState(usageOf(answered), at('2026-07-02T00:00:00Z'), 'UTC')).toMatchObject({ used: 0, remaining: 10 });
  });

  it.each([
    ['UTC', true],
    ['Europe/Lisbon', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('a merchant timezone must be an IANA name: %s', (tz, valid) => {
    expect(isValidTimeZone(tz)).toBe(valid);
  });
});
