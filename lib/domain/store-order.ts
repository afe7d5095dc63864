/**
 * The DSers side of the model: a store order's state tab and fulfillment mode as schemas. The
 * rules (how the state follows from its AliExpress orders) are in store-order-rules.ts, zod-free
 * for the popup, and re-exported here; the backend and the popup share them.
 */
import { z } from 'zod';
import { DSERS_STATES, FULFILLMENT_MODES, type DsersState } from './store-order-rules';

export * from './store-order-rules';

export const dsersStateSchema = z.enum(DSERS_STATES);

export const DSERS_STATE_LABELS: Record<DsersState, string> = {
  pending: 'Pending',
  awaiting_order: 'Awaiting order',
  awaiting_payment: 'Awaiting payment',
  awaiting_shipment: 'Awaiting shipment',
  awaiting_fulfillment: 'Awaiting fulfillment',
  fulfilled: 'Fulfilled',
  canceled: 'Canceled',
  failed: 'Failed',
};

export const fulfillmentModeSchema = z.enum(FULFILLMENT_MODES);
