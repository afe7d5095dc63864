import { describe, expect, it } from 'vitest';
import { PasswordCheckSlots } from '../../../server/dashboard/middleware';

describe('password checks at once', () => {
  it('runs at most the bound at once and refuses the rest at once, freeing a slot when a check ends', async () => {
    const slots = new PasswordCheckSlots(2);
    const gates: (() => void)[] = [];
    const held = () => new Promise<string>((resolve) => gates.push(() => resolve('checked')));
    const first = slots.run(held);
    const second = slots.run(held);
    expect(await slots.run(held)).toBeUndefined();
    gates[0]!();
    expect(await first).toBe('checked');
    const third = slots.run(held);
    gates[1]!();
    gates[2]!();
    expect([await second, await third]).toEqual(['checked', 'checked']);
  });
});
