/**
 * Which store orders can carry an action flag (Abnormal, Attention, Pending too long) at a given
 * time, as an SQL condition: what lets the database narrow 50,000 orders to the few worth the
 * rule. It is a superset, never the decision: orderFlags (lib/domain/order-flags.ts) decides on
 * what it lets through, and the thresholds are that module's. tests/server/flag-candidates.test.ts
 * checks it never leaves out an order the rule flags.
 */
import { NO_TRACKING_AFTER_PAYMENT_MS, PENDING_TOO_LONG_MS, STALE_TRACKING_MS, type OrderFlag } from '../lib/domain/order-flags';
import { ACTION_FLAGS, type ActionFlag } from '../lib/presentation/needs-action';

/** The flags this condition narrows for (Needs action's); any other flag is left to the rule alone. */
export const isNarrowed = (flag: OrderFlag): flag is ActionFlag => ACTION_FLAGS.has(flag);

const interval = (ms: number) => `interval '${ms / 1000} seconds'`;

/** Per flag: what one package (`p`) or one AliExpress order without any (`a`) must show for the rule to have a chance. */
function packageCondition(flag: ActionFlag, now: () => string): string {
  switch (flag) {
    case 'abnormal':
      return `p.tracking_status = 'abnormal'`;
    case 'pending_too_long':
      return `p.tracking_status = 'pending' and coalesce(p.first_event_at, p.first_seen_at) <= ${now()} - ${interval(PENDING_TOO_LONG_MS)}`;
    case 'attention':
      return `p.tracking_status <> 'delivered' and coalesce(p.last_event_at, p.first_seen_at) < ${now()} - ${interval(STALE_TRACKING_MS)}`;
  }
}

/**
 * `exists (…)` over the store order `store` (an alias in the query) for any of `flags`; `now`
 * gives the query's parameter holding the time, asked only when a flag's condition needs it (a
 * parameter the query never names has no type, and the database refuses it). Only unlocked orders carry flags, so those alone pass;
 * canceled AliExpress orders are let through (the rule leaves them out).
 */
export function actionFlagCandidate(store: string, now: () => string, flags: readonly ActionFlag[]): string {
  const packages = flags.map((flag) => `(${packageCondition(flag, now)})`).join(' or ');
  // "No tracking number for 7+ days after payment" is an AliExpress order without packages.
  const withoutPackages = flags.includes('attention')
    ? ` or (a.paid_at <= ${now()} - ${interval(NO_TRACKING_AFTER_PAYMENT_MS)} and not exists (select 1 from packages q where q.ali_order_pk = a.id))`
    : '';
  return `(${store}.fulfillment_mode = 'auto' and exists (
    select 1 from ali_orders a where a.store_order_id = ${store}.id and a.replaced_at is null
       and (exists (select 1 from packages p where p.ali_order_pk = a.id and (${packages}))${withoutPackages})))`;
}
