/** A store order's flags as a schema; the rules that compute them are in tracking-rules.ts (zod-free), re-exported here. */
import { z } from 'zod';
import { ORDER_FLAGS } from './tracking-rules';

export * from './tracking-rules';

export const orderFlagSchema = z.enum(ORDER_FLAGS);
