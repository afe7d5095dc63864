/**
 * A Shopify contract server: the GraphQL Admin API subset in schema.ts on
 * `POST /admin/api/{version}/graphql.json` (X-Shopify-Access-Token, the cost-based throttle with
 * Shopify's answer shapes, THROTTLED with HTTP 429), and the app's webhook deliveries (REST-shaped
 * order payloads, base64 HMAC-SHA256 of the raw body keyed with the client secret). It proves our
 * side of the documented contract, not that the live service agrees.
 *
 * Tests and the demo drive it as the shop's staff and customers would: an order is placed, paid,
 * canceled or fulfilled by hand in the admin, and its webhooks go out: to the URL configured in the
 * app's settings (`webhookUrl`) and to every subscription the app made for the topic
 * (`webhookSubscriptionCreate`). One deviation, for the tests: a subscription's `uri` may be plain
 * http on 127.0.0.1 (Shopify takes https only).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, execute, GraphQLError, parse, validate, type OperationDefinitionNode } from 'graphql';
import { actualCost, CostBucket, requestedCost } from './cost';
import { SHOPIFY_ADMIN_SDL } from './schema';

/** Standard plan: 100 points a second (shopify.dev's rate-limit table); the bucket holds 20 s of it. */
export const STANDARD_PLAN = { restoreRate: 100, maximumAvailable: 2000 } as const;

const schema = buildSchema(SHOPIFY_ADMIN_SDL);

/** "Apps can make requests that cost up to 1000 points in a single query." */
export const MAX_QUERY_COST = 1000;

export interface ContractLineItem {
  id: number;
  title: string;
  sku: string | null;
  quantity: number;
}
interface FulfillmentOrderLine {
  id: number;
  lineItemId: number;
  totalQuantity: number;
  remainingQuantity: number;
}
interface FulfillmentOrder {
  id: number;
  status: 'OPEN' | 'IN_PROGRESS' | 'CLOSED' | 'CANCELLED';
  lines: FulfillmentOrderLine[];
}
export interface ContractFulfillment {
  id: number;
  orderName: string;
  status: 'SUCCESS';
  createdAt: string;
  trackingInfo: { company: string | null; number: string; url: string | null }[];
  lines: { lineItemId: number; quantity: number }[];
  notifyCustomer: boolean;
  /** Made in the admin by the shop's staff, not through the API. */
  byStaff: boolean;
}
export interface ContractOrder {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  financialStatus: 'PENDING' | 'AUTHORIZED' | 'PAID';
  lineItems: ContractLineItem[];
  fulfillmentOrders: FulfillmentOrder[];
  fulfillments: ContractFulfillment[];
}
export interface ContractEmail {
  orderName: string;
  /** Shopify's shipping confirmation on a new fulfillment; its shipping update on a changed number. */
  kind: 'shipping_confirmation' | 'shipping_update';
  trackingNumbers: string[];
}
export interface Delivery {
  /** Where it goes: the app's configured URL or a subscription's uri. */
  url: string;
  webhookId: string;
  topic: string;
  body: string;
  status?: number;
}

export interface ShopOptions {
  domain: string;
  accessToken: string;
  clientSecret: string;
  /** Where the app's webhooks go when configured in its settings (every topic). */
  webhookUrl?: string;
  plan?: { restoreRate: number; maximumAvailable: number };
  /** The access scopes the merchant granted the app (default: every one the backend needs). */
  scopes?: string[];
}

/** The scopes a custom app made as README says gets. */
export const DEFAULT_SCOPES = ['read_orders', 'read_merchant_managed_fulfillment_orders', 'write_merchant_managed_fulfillment_orders'];

export interface ContractSubscription {
  id: number;
  /** As the webhook header names it: `orders/create`. */
  topic: string;
  uri: string;
  createdAt: string;
}

/** `ORDERS_PARTIALLY_FULFILLED` → `orders/partially_fulfilled`. */
export const topicOfEnum = (value: string) => value.toLowerCase().replace('_', '/');
const enumOfTopic = (topic: string) => topic.toUpperCase().replace('/', '_');
const hasScope = (granted: readonly string[], needed: string) => granted.includes(needed) || granted.includes(needed.replace(/^read_/, 'write_'));

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
const idOf = (value: string, type: string): number | undefined => {
  const m = new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(value);
  return m ? Number(m[1]) : undefined;
};

const lineItemView = (l: ContractLineItem) => ({ id: gid('LineItem', l.id), sku: l.sku, title: l.title, quantity: l.quantity });
const page = <T>(items: T[], first: number | undefined, after: string | undefined) => {
  const start = after ? Number(Buffer.from(after, 'base64').toString()) : 0;
  const count = Math.min(first ?? 50, 250);
  const nodes = items.slice(start, start + count);
  const end = start + nodes.length;
  return { nodes, pageInfo: { hasNextPage: end < items.length, endCursor: nodes.length ? Buffer.from(String(end)).toString('base64') : null } };
};
const fulfillmentView = (f: ContractFulfillment, order: ContractOrder) => ({
  id: gid('Fulfillment', f.id),
  status: f.status,
  createdAt: f.createdAt,
  trackingInfo: () => f.trackingInfo,
  fulfillmentLineItems: ({ first, after }: { first?: number; after?: string }) =>
    page(
      f.lines.map((l, i) => ({ id: gid('FulfillmentLineItem', f.id * 100 + i), quantity: l.quantity, lineItem: lineItemView(order.lineItems.find((li) => li.id === l.lineItemId)!) })),
      first,
      after,
    ),
});
const orderView = (o: ContractOrder) => {
  const allClosed = o.fulfillmentOrders.every((fo) => fo.status === 'CLOSED');
  return {
    id: gid('Order', o.id),
    legacyResourceId: String(o.id),
    name: o.name,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    cancelledAt: o.cancelledAt,
    displayFinancialStatus: o.financialStatus,
    displayFulfillmentStatus: o.fulfillments.length === 0 ? 'UNFULFILLED' : allClosed ? 'FULFILLED' : 'PARTIALLY_FULFILLED',
    lineItems: ({ first, after }: { first?: number; after?: string }) => page(o.lineItems.map(lineItemView), first, after),
    fulfillmentOrders: ({ first, after }: { first?: number; after?: string }) =>
      page(
        o.fulfillmentOrders.map((fo) => ({
          id: gid('FulfillmentOrder', fo.id),
          status: fo.status,
          lineItems: ({ first: f, after: a }: { first?: number; after?: string }) =>
            page(
              fo.lines.map((l) => ({
                id: gid('FulfillmentOrderLineItem', l.id),
                totalQuantity: l.totalQuantity,
                remainingQuantity: l.remainingQuantity,
                lineItem: lineItemView(o.lineItems.find((li) => li.id === l.lineItemId)!),
              })),
              f,
              a,
            ),
        })),
        first,
        after,
      ),
    fulfillments: () => o.fulfillments.map((f) => fulfillmentView(f, o)),
  };
};
const userError = (field: string[], message: string) => ({ fulfillment: null, userErrors: [{ field, message }] });
const subscriptionView = (s: ContractSubscription) => ({ id: gid('WebhookSubscription', s.id), topic: enumOfTopic(s.topic), uri: s.uri, format: 'JSON', createdAt: s.createdAt });
const subscriptionError = (field: string[], message: string) => ({ webhookSubscription: null, userErrors: [{ field, message }] });
type TrackingInput = { company?: string; number?: string; numbers?: string[]; url?: string; urls?: string[] };
const trackingOf = (t: TrackingInput | undefined): ContractFulfillment['trackingInfo'] => {
  const numbers = t?.numbers ?? (t?.number ? [t.number] : []);
  const urls = t?.urls ?? (t?.url ? [t.url] : []);
  return numbers.map((number, i) => ({ company: t?.company ?? null, number, url: urls[i] ?? null }));
};

export class ContractShop {
  readonly orders: ContractOrder[] = [];
  readonly emails: ContractEmail[] = [];
  readonly deliveries: Delivery[] = [];
  readonly subscriptions: ContractSubscription[] = [];
  readonly bucket: CostBucket;
  /** Every API call: its operation name and whether it was throttled. */
  readonly calls: { operation: string; throttled: boolean; at: number; actualCost?: number }[] = [];
  uninstalled = false;
  /** When set, webhooks are kept back (to deliver late or out of order) instead of sent. */
  holdWebhooks = false;
  readonly held: Delivery[] = [];
  private inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly options: ShopOptions,
    private readonly ids: () => number,
    private readonly clock: () => Date,
  ) {
    this.bucket = new CostBucket(options.plan?.maximumAvailable ?? STANDARD_PLAN.maximumAvailable, options.plan?.restoreRate ?? STANDARD_PLAN.restoreRate);
  }

  get domain() {
    return this.options.domain;
  }

  fulfillments(): ContractFulfillment[] {
    return this.orders.flatMap((o) => o.fulfillments);
  }

  order(name: string): ContractOrder {
    const order = this.orders.find((o) => o.name === name);
    if (!order) throw new Error(`no order ${name} on ${this.domain}`);
    return order;
  }

  private touch(order: ContractOrder): void {
    // Strictly increasing, so "updated since" cursors see every change.
    const now = Math.max(this.clock().getTime(), Date.parse(order.updatedAt) + 1);
    order.updatedAt = new Date(now).toISOString();
  }

  /** A customer's order; `paid` when the payment is captured at checkout. One fulfillment order holds every line. */
  placeOrder(input: { lineItems: { title: string; sku?: string; quantity: number }[]; paid?: boolean; name?: string }): ContractOrder {
    const at = this.clock().toISOString();
    const lineItems = input.lineItems.map((l) => ({ id: this.ids(), title: l.title, sku: l.sku ?? null, quantity: l.quantity }));
    const order: ContractOrder = {
      id: this.ids(),
      name: input.name ?? `#${1000 + this.orders.length + 1}`,
      createdAt: at,
      updatedAt: at,
      cancelledAt: null,
      financialStatus: input.paid === false ? 'PENDING' : 'PAID',
      lineItems,
      fulfillmentOrders: [
        {
          id: this.ids(),
          status: 'OPEN',
          lines: lineItems.map((l) => ({ id: this.ids(), lineItemId: l.id, totalQuantity: l.quantity, remainingQuantity: l.quantity })),
        },
      ],
      fulfillments: [],
    };
    this.orders.push(order);
    this.webhook('orders/create', order);
    if (order.financialStatus === 'PAID') this.webhook('orders/paid', order);
    return order;
  }

  capturePayment(name: string): void {
    const order = this.order(name);
    order.financialStatus = 'PAID';
    this.touch(order);
    this.webhook('orders/paid', order);
  }

  cancel(name: string): void {
    const order = this.order(name);
    order.cancelledAt = this.clock().toISOString();
    for (const fo of order.fulfillmentOrders) if (fo.status !== 'CLOSED') fo.status = 'CLOSED';
    this.touch(order);
    this.webhook('orders/cancelled', order);
  }

  /**
   * The shop's staff fulfil the order in the admin (not through this app): the whole of it, or
   * only the given line items (by their index in the order), each in full.
   */
  fulfillByStaff(name: string, trackingNumber?: string, lineIndexes?: number[]): void {
    const order = this.order(name);
    const only = lineIndexes?.map((i) => order.lineItems[i]!.id);
    const parts = order.fulfillmentOrders
      .map((fo) => ({
        fo,
        lines: only && fo.lines.filter((l) => only.includes(l.lineItemId) && l.remainingQuantity > 0).map((l) => ({ id: l.id, quantity: l.remainingQuantity })),
      }))
      .filter((p) => !p.lines || p.lines.length > 0);
    this.createFulfillment(order, parts, {
      trackingInfo: trackingNumber ? [{ company: null, number: trackingNumber, url: null }] : [],
      notifyCustomer: false,
      byStaff: true,
    });
  }

  private createFulfillment(
    order: ContractOrder,
    parts: { fo: FulfillmentOrder; lines: { id: number; quantity: number }[] | undefined }[],
    how: { trackingInfo: ContractFulfillment['trackingInfo']; notifyCustomer: boolean; byStaff: boolean },
  ): ContractFulfillment {
    const lines: ContractFulfillment['lines'] = [];
    for (const { fo, lines: wanted } of parts) {
      const picks = wanted ?? fo.lines.filter((l) => l.remainingQuantity > 0).map((l) => ({ id: l.id, quantity: l.remainingQuantity }));
      for (const pick of picks) {
        const line = fo.lines.find((l) => l.id === pick.id)!;
        line.remainingQuantity -= pick.quantity;
        lines.push({ lineItemId: line.lineItemId, quantity: pick.quantity });
      }
      fo.status = fo.lines.every((l) => l.remainingQuantity === 0) ? 'CLOSED' : 'IN_PROGRESS';
    }
    const fulfillment: ContractFulfillment = {
      id: this.ids(),
      orderName: order.name,
      status: 'SUCCESS',
      createdAt: this.clock().toISOString(),
      trackingInfo: how.trackingInfo,
      lines,
      notifyCustomer: how.notifyCustomer,
      byStaff: how.byStaff,
    };
    order.fulfillments.push(fulfillment);
    if (how.notifyCustomer) this.emails.push({ orderName: order.name, kind: 'shipping_confirmation', trackingNumbers: how.trackingInfo.map((t) => t.number) });
    this.touch(order);
    const all = order.fulfillmentOrders.every((fo) => fo.status === 'CLOSED');
    this.webhook(all ? 'orders/fulfilled' : 'orders/partially_fulfilled', order);
    this.webhook('orders/updated', order);
    return fulfillment;
  }

  // -- webhooks ---------------------------------------------------------------------------------

  /** The REST-shaped order a webhook carries (only the fields the backend reads, named as Shopify names them). */
  restOrder(order: ContractOrder) {
    const remaining = (lineItemId: number) =>
      order.fulfillmentOrders.flatMap((fo) => fo.lines).filter((l) => l.lineItemId === lineItemId).reduce((n, l) => n + l.remainingQuantity, 0);
    const fulfilled = order.fulfillmentOrders.every((fo) => fo.status === 'CLOSED') && order.fulfillments.length > 0;
    return {
      id: order.id,
      admin_graphql_api_id: gid('Order', order.id),
      name: order.name,
      order_number: Number(order.name.replace(/\D/g, '')),
      created_at: order.createdAt,
      updated_at: order.updatedAt,
      cancelled_at: order.cancelledAt,
      cancel_reason: order.cancelledAt ? 'customer' : null,
      financial_status: order.financialStatus.toLowerCase(),
      fulfillment_status: fulfilled ? 'fulfilled' : order.fulfillments.length ? 'partial' : null,
      currency: 'USD',
      line_items: order.lineItems.map((l) => ({
        id: l.id,
        admin_graphql_api_id: gid('LineItem', l.id),
        title: l.title,
        sku: l.sku,
        quantity: l.quantity,
        fulfillable_quantity: remaining(l.id),
      })),
      fulfillments: order.fulfillments.map((f) => ({
        id: f.id,
        admin_graphql_api_id: gid('Fulfillment', f.id),
        status: 'success',
        tracking_company: f.trackingInfo[0]?.company ?? null,
        tracking_number: f.trackingInfo[0]?.number ?? null,
        tracking_numbers: f.trackingInfo.map((t) => t.number),
        // A fulfillment's line items carry the quantity it fulfilled.
        line_items: f.lines.map((l) => ({ id: l.lineItemId, admin_graphql_api_id: gid('LineItem', l.lineItemId), quantity: l.quantity })),
      })),
    };
  }

  sign(body: string): string {
    return createHmac('sha256', this.options.clientSecret).update(body, 'utf8').digest('base64');
  }

  private webhook(topic: string, order: ContractOrder): void {
    const body = JSON.stringify(this.restOrder(order));
    const urls = [...(this.options.webhookUrl ? [this.options.webhookUrl] : []), ...this.subscriptions.filter((s) => s.topic === topic).map((s) => s.uri)];
    for (const url of urls) {
      const delivery: Delivery = { url, webhookId: randomUUID(), topic, body };
      if (this.holdWebhooks) this.held.push(delivery);
      else void this.send(delivery);
    }
  }

  /** Sends a delivery (again: a redelivery keeps its webhook id); `signature` overrides the HMAC header. */
  send(delivery: Delivery, signature?: string): Promise<number> {
    const { url } = delivery;
    this.deliveries.push(delivery);
    const attempt = () =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': delivery.topic,
          'x-shopify-shop-domain': this.domain,
          'x-shopify-webhook-id': delivery.webhookId,
          'x-shopify-api-version': '2026-10',
          'x-shopify-triggered-at': this.clock().toISOString(),
          'x-shopify-hmac-sha256': signature ?? this.sign(delivery.body),
        },
        body: delivery.body,
      }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      });
    // Shopify retries a delivery that got no answer (here: a few times at once, not over hours).
    const sent = (async () => {
      for (let n = 0; n < 3; n++) {
        try {
          return (delivery.status = await attempt());
        } catch {
          delivery.status = 0;
        }
      }
      return 0;
    })();
    this.inFlight.add(sent);
    void sent.finally(() => this.inFlight.delete(sent));
    return sent;
  }

  /** Sends what was held back, in the order given (late, or out of order). */
  async release(order: 'as_held' | 'reversed' = 'as_held'): Promise<void> {
    this.holdWebhooks = false;
    const held = this.held.splice(0);
    for (const d of order === 'reversed' ? held.reverse() : held) await this.send(d);
  }

  /** Resolves once every webhook sent so far has been answered. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight);
  }

  // -- the Admin API ----------------------------------------------------------------------------

  private resolvers(notify: (fulfillment: ContractFulfillment) => void) {
    const scopes = this.options.scopes ?? DEFAULT_SCOPES;
    return {
      shop: () => ({ name: this.domain.split('.')[0], myshopifyDomain: this.domain }),
      currentAppInstallation: () => ({ accessScopes: scopes.map((handle) => ({ handle, description: handle })) }),
      webhookSubscriptions: ({ first, after, topics, uri }: { first?: number; after?: string; topics?: string[]; uri?: string }) =>
        page(
          this.subscriptions.filter((s) => (!topics || topics.includes(enumOfTopic(s.topic))) && (!uri || s.uri === uri)).map(subscriptionView),
          first,
          after,
        ),
      webhookSubscriptionCreate: ({ topic, webhookSubscription }: { topic: string; webhookSubscription: { uri?: string; format?: string } }) => {
        const uri = webhookSubscription.uri ?? '';
        let url: URL | undefined;
        try {
          url = new URL(uri);
        } catch {
          return subscriptionError(['webhookSubscription', 'uri'], 'Address is invalid');
        }
        if (url.protocol !== 'https:' && !(url.protocol === 'http:' && url.hostname === '127.0.0.1')) {
          return subscriptionError(['webhookSubscription', 'uri'], `Address protocol ${url.protocol}// is not supported`);
        }
        // Order topics carry orders: the app must be allowed to read them (this server's wording).
        if (topic.startsWith('ORDERS_') && !hasScope(scopes, 'read_orders')) {
          return subscriptionError(['webhookSubscription'], `Access denied for topic ${topic}: the app needs the read_orders access scope.`);
        }
        const name = topicOfEnum(topic);
        if (this.subscriptions.some((s) => s.topic === name && s.uri === uri)) return subscriptionError(['address'], 'Address for this topic has already been taken');
        const created: ContractSubscription = { id: this.ids(), topic: name, uri, createdAt: this.clock().toISOString() };
        this.subscriptions.push(created);
        return { webhookSubscription: subscriptionView(created), userErrors: [] };
      },
      webhookSubscriptionDelete: ({ id }: { id: string }) => {
        const at = this.subscriptions.findIndex((s) => s.id === idOf(id, 'WebhookSubscription'));
        if (at < 0) return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] };
        this.subscriptions.splice(at, 1);
        return { deletedWebhookSubscriptionId: id, userErrors: [] };
      },
      order: ({ id }: { id: string }) => {
        const n = idOf(id, 'Order');
        const o = this.orders.find((x) => x.id === n);
        return o ? orderView(o) : null;
      },
      orders: ({ first, after, query, sortKey, reverse }: { first?: number; after?: string; query?: string; sortKey?: string; reverse?: boolean }) => {
        let list = [...this.orders];
        // The search syntax's `updated_at:>'…'` and `created_at:>='…'` / `<=`, the filters the backend uses.
        for (const m of (query ?? '').matchAll(/(updated_at|created_at):(>=|<=|>|<)'?([^'\s]+)'?/g)) {
          const [, field, op, value] = m;
          const bound = Date.parse(value!);
          list = list.filter((o) => {
            const t = Date.parse(field === 'updated_at' ? o.updatedAt : o.createdAt);
            return op === '>' ? t > bound : op === '>=' ? t >= bound : op === '<' ? t < bound : t <= bound;
          });
        }
        if (sortKey === 'UPDATED_AT') list.sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt));
        if (reverse) list.reverse();
        return page(list.map(orderView), first, after);
      },
      fulfillmentCreate: ({ fulfillment }: { fulfillment: { lineItemsByFulfillmentOrder: { fulfillmentOrderId: string; fulfillmentOrderLineItems?: { id: string; quantity: number }[] }[]; notifyCustomer?: boolean; trackingInfo?: TrackingInput } }) => {
        const parts: { fo: FulfillmentOrder; lines: { id: number; quantity: number }[] | undefined }[] = [];
        let order: ContractOrder | undefined;
        for (const [i, group] of fulfillment.lineItemsByFulfillmentOrder.entries()) {
          const foId = idOf(group.fulfillmentOrderId, 'FulfillmentOrder');
          const owner = this.orders.find((o) => o.fulfillmentOrders.some((fo) => fo.id === foId));
          const fo = owner?.fulfillmentOrders.find((x) => x.id === foId);
          const field = ['fulfillment', 'lineItemsByFulfillmentOrder', String(i)];
          if (!owner || !fo) return userError([...field, 'fulfillmentOrderId'], 'Fulfillment order does not exist.');
          if (order && order !== owner) return userError(field, 'All fulfillment orders must belong to the same order.');
          order = owner;
          if (fo.status === 'CLOSED' || fo.status === 'CANCELLED') {
            return userError(field, `Fulfillment order ${group.fulfillmentOrderId} has an unfulfillable status= ${fo.status.toLowerCase()}.`);
          }
          const lines = group.fulfillmentOrderLineItems?.map((l) => ({ id: idOf(l.id, 'FulfillmentOrderLineItem') ?? -1, quantity: l.quantity }));
          for (const l of lines ?? []) {
            const line = fo.lines.find((x) => x.id === l.id);
            if (!line || l.quantity < 1 || l.quantity > line.remainingQuantity) return userError(field, 'Invalid fulfillment order line item quantity requested.');
          }
          parts.push({ fo, lines });
        }
        if (!order) return userError(['fulfillment', 'lineItemsByFulfillmentOrder'], 'Line items by fulfillment order must not be empty.');
        const created = this.createFulfillment(order, parts, {
          trackingInfo: trackingOf(fulfillment.trackingInfo),
          notifyCustomer: fulfillment.notifyCustomer ?? false,
          byStaff: false,
        });
        notify(created);
        return { fulfillment: fulfillmentView(created, order), userErrors: [] };
      },
      fulfillmentTrackingInfoUpdate: ({ fulfillmentId, trackingInfoInput, notifyCustomer }: { fulfillmentId: string; trackingInfoInput: TrackingInput; notifyCustomer?: boolean }) => {
        const n = idOf(fulfillmentId, 'Fulfillment');
        const order = this.orders.find((o) => o.fulfillments.some((f) => f.id === n));
        const f = order?.fulfillments.find((x) => x.id === n);
        if (!order || !f) return userError(['fulfillmentId'], 'Fulfillment does not exist.');
        f.trackingInfo = trackingOf(trackingInfoInput);
        if (notifyCustomer) this.emails.push({ orderName: order.name, kind: 'shipping_update', trackingNumbers: f.trackingInfo.map((t) => t.number) });
        this.touch(order);
        this.webhook('orders/updated', order);
        return { fulfillment: fulfillmentView(f, order), userErrors: [] };
      },
    };
  }

  /** Answers one GraphQL request: status and JSON body. */
  graphql(body: { query?: unknown; variables?: unknown }, onFulfillment: (f: ContractFulfillment) => void): { status: number; json: unknown } {
    if (typeof body.query !== 'string') return { status: 400, json: { errors: { query: 'Required parameter missing or invalid' } } };
    let document;
    try {
      document = parse(body.query);
    } catch (error) {
      return { status: 200, json: { errors: [{ message: (error as GraphQLError).message, extensions: { code: 'PARSE_ERROR' } }] } };
    }
    const problems = validate(schema, document);
    if (problems.length) return { status: 200, json: { errors: problems.map((p) => ({ message: p.message, locations: p.locations })) } };
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    const requested = requestedCost(schema, operation, variables);
    if (requested > MAX_QUERY_COST) {
      return {
        status: 200,
        json: {
          errors: [{ message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`, extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: MAX_QUERY_COST } }],
        },
      };
    }
    const throttled = !this.bucket.take(requested);
    this.calls.push({ operation: operation.name?.value ?? operation.operation, throttled, at: performance.now() });
    if (throttled) {
      return {
        status: 429,
        json: {
          errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
          extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: this.bucket.status() } },
        },
      };
    }
    const result = execute({ schema, document, rootValue: this.resolvers(onFulfillment), variableValues: variables }) as { data?: unknown; errors?: readonly GraphQLError[] };
    const actual = actualCost(operation, result.data);
    this.bucket.refund(Math.max(0, requested - actual));
    this.calls.at(-1)!.actualCost = actual;
    return {
      status: 200,
      json: {
        ...(result.errors && { errors: result.errors.map((e) => ({ message: e.message, path: e.path })) }),
        data: result.data ?? null,
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: this.bucket.status() } },
      },
    };
  }
}

export interface ShopifyContractServer {
  /** The origin to give the backend as SHOPIFY_ADMIN_ORIGIN. */
  origin: string;
  shop(options: ShopOptions): ContractShop;
  shops: Map<string, ContractShop>;
  /** Called on every fulfillment the API creates (the bench times them). */
  onFulfillment(listener: (shop: ContractShop, fulfillment: ContractFulfillment) => void): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, json: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(json));
}

/**
 * Starts the contract server on a free port of 127.0.0.1. The shop is chosen by the request's
 * Host (as on Shopify) or, behind SHOPIFY_ADMIN_ORIGIN, by the X-Shopify-Shop-Domain header the
 * backend adds for that purpose, falling back to the only shop.
 */
export async function startShopifyContractServer(clock: () => Date = () => new Date()): Promise<ShopifyContractServer> {
  const shops = new Map<string, ContractShop>();
  const listeners: ((shop: ContractShop, f: ContractFulfillment) => void)[] = [];
  let nextId = 5_100_000_000_000;
  const ids = () => ++nextId;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const match = /^\/admin\/api\/(\d{4}-\d{2})\/graphql\.json$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) return send(res, 404, { errors: 'Not Found' });
      const named = String(req.headers['x-shopify-shop-domain'] ?? req.headers.host ?? '').toLowerCase();
      const shop = shops.get(named) ?? (shops.size === 1 ? [...shops.values()][0] : undefined);
      const text = await readBody(req);
      if (!shop) return send(res, 404, { errors: 'Not Found' });
      if (shop.uninstalled || req.headers['x-shopify-access-token'] !== shop.options.accessToken) {
        return send(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      }
      let body: { query?: unknown; variables?: unknown };
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, { errors: 'Bad Request' });
      }
      const answer = shop.graphql(body, (f) => listeners.forEach((l) => l(shop, f)));
      send(res, answer.status, answer.json);
    })().catch((error) => send(res, 500, { errors: String(error) }));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    shops,
    shop(options) {
      const shop = new ContractShop(options, ids, clock);
      shops.set(options.domain, shop);
      return shop;
    },
    onFulfillment: (listener) => void listeners.push(listener),
    close: async () => {
      for (const shop of shops.values()) await shop.settled();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
