/**
 * Tracking: the tracking page's API (`mtop.ae.ld.querydetail`), Cainiao's global detail.json,
 * the tracking page DOM and the older track.aliexpress.com page. One package per
 * `trackingDetailLineList` entry (split shipments); events newest first, as shown.
 *
 * Times: an epoch (`time`) is written in UTC ("…Z"); a time shown without a zone is read as
 * UTC+08:00 (see ZONELESS_TIME_OFFSET in text.ts for the evidence); a time without a year is not
 * read at all (the event is left out and a warning says so), since the year would be a guess.
 */
import type { AliOrder, Package, TrackingEvent, TrackingStatus } from '../domain/snapshot';
import { isAliOrderId } from '../domain/ids';
import { isRecord, mtopProblemReading, stringField } from './mtop';
import type { PageReading } from './order-list';
import { OLD_TRACKING, TRACKING } from './selectors';
import { cleanText, foldText, isoFromEpochMs, parseZonelessDateTime } from './text';

// ---------------------------------------------------------------------------------------------
// Tracking status: codes first, localized text second

/**
 * Event codes by meaning. Sources: the real capture mtop-tracking-querydetail.json and the Cainiao
 * captures (actionCode), PROVENANCE.md (AE_GTMS_SIGNED delivered, AE_PICK_UP_SUCCESS, AE_CC_*,
 * AE_LH_*), and a public ParcelDeck querydetail parser (AE_ORDER_SHIPPED and AE_GWMS_* are the
 * seller's and warehouse's steps before the carrier has the parcel).
 */
const DELIVERED_CODES = new Set(['AE_GTMS_SIGNED', 'GTMS_SIGNED', 'AE_GROUP_DELIVERED', 'DELIVERED']);
const PENDING_CODES = new Set(['AE_ORDER_PLACED', 'AE_ORDER_PAID', 'AE_ORDER_SHIPPED', 'AE_GWMS_ACCEPT', 'AE_GWMS_PACKAGE', 'AE_GWMS_OUTBOUND']);
/** Families that only occur once a carrier holds the parcel: pickup, sorting, line haul, customs, last mile. */
const IN_TRANSIT_CODE = /^(?:AE_)?(?:PICK_UP|PU_PICKUP|SC|LH|CC|GTMS|GROUP)_|^COMMON_INTRANSIT$|^CLEAR_CUSTOMS$/;
/**
 * `fulfillStage` values of the tracking page: 1100 pickup, 1200 sorting, 1400 line haul, 1600
 * customs, 1700 last mile (PROVENANCE.md). Pickup and later means the carrier has it.
 */
const CARRIER_STAGE = /^1[1-7]\d\d$/;

/**
 * Status words, for events without a code. English only: these are the carrier-status words of
 * the real captures ("Delivered", "Package delivered", "In transit", "In customs "…). No
 * abnormal wording is listed: no capture shows one, and a guessed "abnormal" would alarm.
 */
const TEXT_STATUS: ReadonlyArray<[RegExp, TrackingStatus]> = [
  [/^(?:package |parcel )?delivered\b/, 'delivered'],
  [
    /^(?:in transit|in customs|at customs|out for delivery|collected by (?:destination )?carrier|customs complete|delivery update|package collected by carrier|leaving customs|departed from|arrived at|accepted by carrier|accepted for transportation|received by logistics company|shipment on the way|(?:import|export) customs clearance)/,
    'in_transit',
  ],
  [/^(?:package in preparation|order created|your package is being prepared|your order's been created)/, 'pending'],
];

function statusOfCode(code: string | undefined): TrackingStatus | undefined {
  if (!code) return undefined;
  const key = code.trim().toUpperCase();
  if (DELIVERED_CODES.has(key)) return 'delivered';
  if (PENDING_CODES.has(key)) return 'pending';
  if (IN_TRANSIT_CODE.test(key)) return 'in_transit';
  return undefined;
}

function statusOfText(text: string | undefined): TrackingStatus | undefined {
  if (!text) return undefined;
  const folded = foldText(text);
  for (const [pattern, status] of TEXT_STATUS) if (pattern.test(folded)) return status;
  return undefined;
}

interface StatusEvidence {
  codes: Array<string | undefined>;
  stage?: string;
  texts: Array<string | undefined>;
}

/**
 * A package's tracking status from its events, newest first: the newest event whose code says
 * something decides; failing codes, the newest whose stage or words do. Undefined when nothing does.
 */
export function trackingStatusOf(events: StatusEvidence[]): TrackingStatus | undefined {
  for (const event of events) {
    for (const code of event.codes) {
      const status = statusOfCode(code);
      if (status) return status;
    }
  }
  for (const event of events) {
    if (event.stage && CARRIER_STAGE.test(event.stage)) return 'in_transit';
    for (const text of event.texts) {
      const status = statusOfText(text);
      if (status) return status;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Which order a tracking answer belongs to

/** A 16-digit order id in a URL: `tradeOrderId=`, `orderId=`, `tradeId=`, or inside `data=` JSON. */
export function orderIdFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // A malformed escape: read the URL as it is.
  }
  const match = /(?:tradeOrderId|orderId|tradeId)["']?\s*[=:]\s*["']?(\d{16})(?!\d)/.exec(decoded);
  return match?.[1];
}

/** Order ids mentioned inside an answer's links (the tracking API's `tipsLink`), deduplicated. */
function orderIdsInBody(body: unknown, depth = 0, found = new Set<string>()): Set<string> {
  if (depth > 12 || found.size > 5) return found;
  if (typeof body === 'string') {
    for (const m of body.matchAll(/(?:tradeOrderId|orderId|tradeId)=(\d{16})(?!\d)/g)) if (m[1]) found.add(m[1]);
  } else if (Array.isArray(body)) {
    for (const value of body) orderIdsInBody(value, depth + 1, found);
  } else if (isRecord(body)) {
    for (const value of Object.values(body)) orderIdsInBody(value, depth + 1, found);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// mtop.ae.ld.querydetail

function eventFromQueryDetail(entry: Record<string, unknown>): TrackingEvent | undefined {
  const at = isoFromEpochMs(entry.time);
  if (!at) return undefined;
  const code = stringField(entry, 'trackingPrimaryCode') ?? stringField(entry, 'trackingSecondCode');
  const stage = stringField(entry, 'fulfillStage');
  const text = cleanText(stringField(entry, 'trackingDetailDesc') ?? stringField(entry, 'trackingName'));
  const location = cleanText(stringField(entry, 'detailedLocation'));
  return {
    at,
    ...(code && { code }),
    ...(stage && { stage }),
    text,
    ...(location && { location }),
  };
}

function packageFromLine(line: Record<string, unknown>, index: number, warnings: string[]): Package | undefined {
  const trackingNumber = cleanText(stringField(line, 'mailNo') ?? stringField(line, 'originMailNo'));
  if (!trackingNumber || trackingNumber.length > 64) {
    warnings.push(`package ${index + 1}: no tracking number`);
    return undefined;
  }
  const cp = isRecord(line.logisticsCpInfo) ? line.logisticsCpInfo : {};
  // The delivering company (cpName: "J&T Express") names the carrier better than the AliExpress
  // service (logisticsCarrierName: "AliExpress standard shipping").
  const carrier = cleanText(stringField(cp, 'cpName') ?? stringField(line, 'logisticsCarrierName'));
  const entries = Array.isArray(line.detailList) ? line.detailList.filter(isRecord) : [];
  const events: TrackingEvent[] = [];
  let skipped = 0;
  for (const entry of entries) {
    const event = eventFromQueryDetail(entry);
    if (event) events.push(event);
    else skipped++;
  }
  if (skipped > 0) warnings.push(`package ${trackingNumber}: ${skipped} event(s) without a readable time left out`);
  const status = trackingStatusOf(
    entries.map((e) => ({
      codes: [stringField(e, 'trackingPrimaryCode'), stringField(e, 'trackingSecondCode')],
      stage: stringField(e, 'fulfillStage'),
      texts: [stringField(e, 'trackingName'), stringField(e, 'trackingDetailDesc')],
    })),
  );
  if (!status) warnings.push(`package ${trackingNumber}: no event says where it is; read as pending (not collected)`);
  return { trackingNumber, ...(carrier && { carrier }), trackingStatus: status ?? 'pending', events };
}

/** The order a tracking read is about: the URL first (the page or the API call), the body second. */
function trackingOrderId(url: string | undefined, body: unknown, warnings: string[]): string | undefined {
  const fromUrl = orderIdFromUrl(url);
  const inBody = [...orderIdsInBody(body)];
  if (fromUrl) {
    if (inBody.length > 0 && !inBody.includes(fromUrl)) warnings.push(`the answer's links name order ${inBody.join(', ')}, the URL ${fromUrl}; the URL wins`);
    return fromUrl;
  }
  if (inBody.length === 1) return inBody[0];
  warnings.push(inBody.length > 1 ? `the answer names several orders (${inBody.join(', ')}) and the URL none` : 'no order id in the URL or the answer');
  return undefined;
}

function trackingReading(aliOrderId: string | undefined, packages: Package[], warnings: string[]): PageReading {
  if (!aliOrderId) {
    if (packages.length > 0) warnings.push(`packages read but not reported, for want of an order id: ${packages.map((p) => `${p.trackingNumber} (${p.trackingStatus})`).join(', ')}`);
    return { kind: 'tracking', orders: [], warnings };
  }
  // The tracking page shows no order status: `unknown` never replaces a known status.
  const order: AliOrder = { aliOrderId, status: 'unknown', packages };
  return { kind: 'tracking', orders: [order], warnings };
}

/** Reads a `mtop.ae.ld.querydetail` answer. `url`: the page's or the API call's. Never throws. */
export function readTrackingJson(body: unknown, url?: string): PageReading {
  try {
    const warnings: string[] = [];
    const problem = mtopProblemReading(body);
    if (problem) return problem;
    const data = isRecord(body) && isRecord(body.data) ? body.data : undefined;
    const module = data && isRecord(data.module) ? data.module : isRecord(body) && isRecord(body.module) ? body.module : undefined;
    if (!module || !Array.isArray(module.trackingDetailLineList)) {
      return { kind: 'unknown', orders: [], warnings: ['not a tracking answer: no trackingDetailLineList'] };
    }
    const packages: Package[] = [];
    module.trackingDetailLineList.forEach((line, index) => {
      if (!isRecord(line)) return;
      const pkg = packageFromLine(line, index, warnings);
      if (pkg && !packages.some((p) => p.trackingNumber === pkg.trackingNumber)) packages.push(pkg);
    });
    return trackingReading(trackingOrderId(url, body, warnings), packages, warnings);
  } catch (error) {
    return { kind: 'unknown', orders: [], warnings: [`tracking answer unreadable: ${String(error)}`] };
  }
}

// ---------------------------------------------------------------------------------------------
// Cainiao global detail.json

/** Cainiao's package `status`, where it says more than the events (sourced from the captures). */
const CAINIAO_STATUS: Readonly<Record<string, TrackingStatus>> = { DELIVERED: 'delivered', CLEAR_CUSTOMS: 'in_transit' };

/** Whether a body looks like Cainiao's detail.json (`{ module: [{ mailNo, detailList }], success }`). */
export function isCainiaoDetail(body: unknown): boolean {
  return isRecord(body) && Array.isArray(body.module) && body.module.some((m) => isRecord(m) && typeof m.mailNo === 'string');
}

/** The packages of a Cainiao detail.json answer. Never throws. */
export function readCainiaoPackages(body: unknown, warnings: string[] = []): Package[] {
  const packages: Package[] = [];
  if (!isRecord(body) || !Array.isArray(body.module)) return packages;
  for (const item of body.module) {
    if (!isRecord(item)) continue;
    const trackingNumber = cleanText(stringField(item, 'mailNo'));
    if (!trackingNumber || trackingNumber.length > 64) continue;
    const entries = Array.isArray(item.detailList) ? item.detailList.filter(isRecord) : [];
    if (entries.length === 0) {
      warnings.push(`Cainiao knows nothing of ${trackingNumber} (no events)`);
      continue;
    }
    const events: TrackingEvent[] = [];
    for (const entry of entries) {
      const at = isoFromEpochMs(entry.time) ?? parseZonelessDateTime(stringField(entry, 'timeStr') ?? '');
      if (!at) continue;
      const code = stringField(entry, 'actionCode');
      const group = isRecord(entry.group) ? stringField(entry.group, 'nodeCode') : undefined;
      const text = cleanText(stringField(entry, 'standerdDesc') || stringField(entry, 'desc'));
      events.push({ at, ...(code && { code }), ...(group && { stage: group }), text });
    }
    const fromEvents = trackingStatusOf(
      entries.map((e) => ({
        codes: [stringField(e, 'actionCode'), isRecord(e.group) ? stringField(e.group, 'nodeCode') : undefined],
        texts: [stringField(e, 'standerdDesc'), stringField(e, 'desc')],
      })),
    );
    const declared = CAINIAO_STATUS[stringField(item, 'status') ?? ''];
    const status = fromEvents ?? declared ?? statusOfText(stringField(item, 'statusDesc'));
    if (!status) warnings.push(`package ${trackingNumber}: no event says where it is; read as pending (not collected)`);
    packages.push({ trackingNumber, trackingStatus: status ?? 'pending', events });
  }
  return packages;
}

/**
 * Reads a Cainiao detail.json answer. It names no AliExpress order: the order id comes from the
 * URL only, and without one the packages are listed in a warning, not invented onto an order.
 */
export function readCainiaoJson(body: unknown, url?: string): PageReading {
  try {
    if (!isCainiaoDetail(body)) return { kind: 'unknown', orders: [], warnings: ['not a Cainiao detail answer'] };
    const warnings: string[] = [];
    if (isRecord(body) && body.success === false) warnings.push('Cainiao answered success: false');
    const packages = readCainiaoPackages(body, warnings);
    const aliOrderId = orderIdFromUrl(url);
    if (!aliOrderId && packages.length > 0) {
      warnings.push('Cainiao answers name no AliExpress order; give the order in the URL (tradeOrderId=) to report these packages');
    }
    return trackingReading(aliOrderId, packages, warnings);
  } catch (error) {
    return { kind: 'unknown', orders: [], warnings: [`Cainiao answer unreadable: ${String(error)}`] };
  }
}

// ---------------------------------------------------------------------------------------------
// DOM: the tracking page and the older track.aliexpress.com page

interface DomShape {
  package: string;
  trackingNumber: string;
  carrier: string;
  event: string;
  eventTime: string;
  eventText: string;
  eventLocation?: string;
}

function textOf(node: Element | null | undefined): string {
  return cleanText(node?.textContent);
}

function readPackagesDom(root: ParentNode, shape: DomShape, warnings: string[]): Package[] {
  const packages: Package[] = [];
  for (const block of Array.from(root.querySelectorAll(shape.package))) {
    const trackingNumber = textOf(block.querySelector(shape.trackingNumber)).replace(/^[^:：]*[:：]\s*/, '').split(' ')[0] ?? '';
    if (!/^[A-Za-z0-9-]{4,64}$/.test(trackingNumber) || packages.some((p) => p.trackingNumber === trackingNumber)) continue;
    const carrier = textOf(block.querySelector(shape.carrier));
    const events: TrackingEvent[] = [];
    const texts: string[] = [];
    let withoutTime = 0;
    for (const item of Array.from(block.querySelectorAll(shape.event))) {
      const timeNode = item.querySelector(shape.eventTime);
      const timeText = textOf(timeNode);
      const textNode = item.querySelector(shape.eventText);
      let text = textOf(textNode);
      if (!text) text = cleanText(textOf(item).replace(timeText, ''));
      const location = shape.eventLocation ? textOf(item.querySelector(shape.eventLocation)) : '';
      texts.push(text);
      const at = parseZonelessDateTime(timeText || textOf(item));
      if (!at) {
        withoutTime++;
        continue;
      }
      events.push({ at, text, ...(location && { location }) });
    }
    if (withoutTime > 0) warnings.push(`package ${trackingNumber}: ${withoutTime} event(s) without a full date left out`);
    const status = trackingStatusOf(texts.map((t) => ({ codes: [], texts: [t] })));
    if (!status) {
      warnings.push(`package ${trackingNumber}: shown without a status this reader knows; not reported`);
      continue;
    }
    packages.push({ trackingNumber, ...(carrier && { carrier }), trackingStatus: status, events });
  }
  return packages;
}

/** Reads the tracking page's DOM (/p/tracking/index.html). Never throws. */
export function readTrackingDom(root: ParentNode, url: string): PageReading {
  try {
    const warnings: string[] = [];
    if (!root.querySelector(TRACKING.trackingNumber)) {
      return { kind: 'unknown', orders: [], warnings: ['no package on the tracking page (not rendered yet, or an unknown layout)'] };
    }
    const packages = readPackagesDom(root, TRACKING, warnings);
    const aliOrderId = orderIdFromUrl(url);
    if (!aliOrderId) warnings.push('no order id in the URL');
    return trackingReading(aliOrderId, packages, warnings);
  } catch (error) {
    return { kind: 'unknown', orders: [], warnings: [`tracking page unreadable: ${String(error)}`] };
  }
}

/** Reads the older tracking page (track.aliexpress.com/logisticsdetail.htm?tradeId=…). Never throws. */
export function readOldTrackingDom(root: ParentNode, url: string): PageReading {
  try {
    const warnings: string[] = [];
    if (!root.querySelector(OLD_TRACKING.package)) {
      return { kind: 'unknown', orders: [], warnings: ['no tracking block on the page (unknown layout)'] };
    }
    const packages = readPackagesDom(root, OLD_TRACKING, warnings);
    const aliOrderId = orderIdFromUrl(url);
    if (!aliOrderId) warnings.push('no order id in the URL');
    return trackingReading(aliOrderId, packages, warnings);
  } catch (error) {
    return { kind: 'unknown', orders: [], warnings: [`tracking page unreadable: ${String(error)}`] };
  }
}

/** Exported for the order detail reader: a valid order id or undefined. */
export function validOrderId(value: unknown): string | undefined {
  const text = typeof value === 'number' ? (Number.isSafeInteger(value) ? String(value) : undefined) : typeof value === 'string' ? value.trim() : undefined;
  return isAliOrderId(text) ? text : undefined;
}
