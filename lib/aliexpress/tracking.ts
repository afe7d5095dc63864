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
import { isRecord, mtopProblemReading, stringField } from './mtop';
import { orderIdFromUrl, orderIdsInLinks, readSafely, textOf, unknownReading, type PageReading } from './reading';
import { OLD_TRACKING, TRACKING } from './selectors';
import { cleanText, isoFromEpochMs, parseZonelessDateTime } from './text';
import { statusOfText, trackingStatusOf, unknownCodesWarning, type EventEvidence } from './tracking-status';

/** The package's status from its events, with unknown codes reported; undefined when nothing says. */
function packageStatus(trackingNumber: string, events: EventEvidence[], warnings: string[]): TrackingStatus | undefined {
  const { status, unknownCodes } = trackingStatusOf(events);
  if (unknownCodes.length > 0) warnings.push(unknownCodesWarning(trackingNumber, unknownCodes));
  return status;
}

// ---------------------------------------------------------------------------------------------
// Which order a tracking answer belongs to

/** Order ids mentioned inside an answer's links (the tracking API's `tipsLink`), deduplicated. */
function orderIdsInBody(body: unknown, depth = 0, found = new Set<string>()): Set<string> {
  if (depth > 12 || found.size > 5) return found;
  if (typeof body === 'string') {
    for (const id of orderIdsInLinks(body)) found.add(id);
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
  const status = packageStatus(
    trackingNumber,
    entries.map((e) => ({
      codes: [stringField(e, 'trackingPrimaryCode'), stringField(e, 'trackingSecondCode')],
      stage: stringField(e, 'fulfillStage'),
      texts: [stringField(e, 'trackingName'), stringField(e, 'trackingDetailDesc')],
    })),
    warnings,
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
export const readTrackingJson = /* @__PURE__ */ readSafely('tracking answer', (body: unknown, url?: string): PageReading => {
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
});

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
    const fromEvents = packageStatus(
      trackingNumber,
      entries.map((e) => ({
        codes: [stringField(e, 'actionCode'), isRecord(e.group) ? stringField(e.group, 'nodeCode') : undefined],
        texts: [stringField(e, 'standerdDesc'), stringField(e, 'desc')],
      })),
      warnings,
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
export const readCainiaoJson = /* @__PURE__ */ readSafely('Cainiao answer', (body: unknown, url?: string): PageReading => {
  if (!isCainiaoDetail(body)) return unknownReading('not a Cainiao detail answer');
  const warnings: string[] = [];
  if (isRecord(body) && body.success === false) warnings.push('Cainiao answered success: false');
  const packages = readCainiaoPackages(body, warnings);
  const aliOrderId = orderIdFromUrl(url);
  if (!aliOrderId && packages.length > 0) {
    warnings.push('Cainiao answers name no AliExpress order; give the order in the URL (tradeOrderId=) to report these packages');
  }
  return trackingReading(aliOrderId, packages, warnings);
});

// ---------------------------------------------------------------------------------------------
// DOM: the tracking page and the older track.aliexpress.com page, one reader with two shapes

interface DomShape {
  package: string;
  trackingNumber: string;
  carrier: string;
  event: string;
  eventTime: string;
  eventText: string;
  eventLocation?: string;
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
      const timeText = textOf(item.querySelector(shape.eventTime));
      let text = textOf(item.querySelector(shape.eventText));
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
    const status = packageStatus(trackingNumber, texts.map((t) => ({ codes: [], texts: [t] })), warnings);
    if (!status) {
      warnings.push(`package ${trackingNumber}: shown without a status this reader knows; not reported`);
      continue;
    }
    packages.push({ trackingNumber, ...(carrier && { carrier }), trackingStatus: status, events });
  }
  return packages;
}

/** `name`: the page in warnings; `present`: an element every rendered page of this shape has. */
function readTrackingDomAs(name: string, present: string, shape: DomShape): (root: ParentNode, url: string) => PageReading {
  return readSafely(name, (root: ParentNode, url: string): PageReading => {
    if (!root.querySelector(present)) return unknownReading(`no package on the ${name} (not rendered yet, or an unknown layout)`);
    const warnings: string[] = [];
    const packages = readPackagesDom(root, shape, warnings);
    const aliOrderId = orderIdFromUrl(url);
    if (!aliOrderId) warnings.push('no order id in the URL');
    return trackingReading(aliOrderId, packages, warnings);
  });
}

/** Reads the tracking page's DOM (/p/tracking/index.html). Never throws. */
export const readTrackingDom = /* @__PURE__ */ readTrackingDomAs('tracking page', TRACKING.trackingNumber, TRACKING);

/** Reads the older tracking page (track.aliexpress.com/logisticsdetail.htm?tradeId=…). Never throws. */
export const readOldTrackingDom = /* @__PURE__ */ readTrackingDomAs('older tracking page', OLD_TRACKING.package, OLD_TRACKING);
