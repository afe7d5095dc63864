/**
 * A parcel's tracking status from its events: codes first, the sourced carrier wording second,
 * the tracking page's stage last. Sources: shared/reference/aliexpress-signals.md, the real
 * captures in tests/fixtures/aliexpress-real (PROVENANCE.md). A code is known only by its full
 * name, never by its family prefix: a `GTMS_` code can as well be a failed delivery, so a code
 * never seen before is reported and left to the event's words and stage.
 */
import type { TrackingStatus } from '../domain/snapshot';
import { foldText } from './text';

/** The tracking page's codes are the Cainiao names with an `AE_` prefix; both spellings are read. */
const bare = (code: string): string => code.trim().toUpperCase().replace(/^AE_/, '');

/**
 * Failures, from Cainiao's official logistics status list published with AliExpress's TOP SDK
 * (aliexpress.logistics.redefining.querytrackingresult), and the codes of a carrier's real
 * fixture (RT_LM_SIGN_SUCCESS "Return Success", LM_UNREACHABLE_RETURN, PUDO_OVERDUE). Every
 * `RT_` code is a return (the `RT_*` family of that list): the one family read by its prefix, since
 * each of its members is a failure of the delivery.
 */
const ABNORMAL_CODES = new Set([
  'GTMS_DEL_FAILURE',
  'GTMS_SIGN_FAILURE',
  'GTMS_FAILURE',
  'CC_IM_FAILURE',
  'CC_EX_FAILURE',
  'CUS_FAILURE',
  'RT_INBOUND',
  'RETURNED',
  'GWMS_EXCEPTION',
  'LM_UNREACHABLE_RETURN',
  'PUDO_OVERDUE',
]);
const RETURN_FAMILY = /^RT_/;

/** Signed for at a pickup point: the customer still has to collect it. */
const PICKUP_CODES = new Set(['GTMS_STA_SIGNED']);

const DELIVERED_CODES = new Set(['GTMS_SIGNED', 'GROUP_DELIVERED', 'DELIVERED']);

/** The seller's and the warehouse's steps, before a carrier has the parcel (stage 1000 or none). */
const PENDING_CODES = new Set(['ORDER_PLACED', 'ORDER_PAID', 'ORDER_SHIPPED', 'GWMS_ACCEPT', 'GWMS_PACKAGE', 'GWMS_OUTBOUND']);

/**
 * Every code seen live while a carrier held the parcel: pickup, sorting, line haul, customs, last
 * mile (the tracking page's codes, Cainiao's actionCode and group nodeCode).
 */
const IN_TRANSIT_CODES = new Set([
  'PICK_UP_SUCCESS',
  'PU_PICKUP_SUCCESS',
  'SC_INBOUND_SUCCESS',
  'SC_OUTBOUND_SUCCESS',
  'LH_HO_IN_SUCCESS',
  'LH_HO_AIRLINE',
  'LH_DEPART',
  'LH_DEPART_SUCCESS',
  'LH_ARRIVE',
  'LH_ARRIVE_SUCCESS',
  'LH_POST_COLLECTION',
  'CC_EX_START',
  'CC_EX_START_SUCCESS',
  'CC_EX_SUCCESS',
  'CC_EX_SUCCESS_SUCCESS',
  'CC_IM_START',
  'CC_IM_SUCCESS',
  'CC_HO_OUT_SUCCESS',
  'GTMS_ACCEPT',
  'GTMS_SC_ARRIVE',
  'GTMS_SC_DEPART',
  'GTMS_DO_ARRIVE',
  'GTMS_DO_DEPART',
  'GTMS_OE_DEPART',
  'GTMS_DELIVERING',
  'GTMS_ORDER_INFO_UPDATE',
  'COMMON_INTRANSIT',
  'CLEAR_CUSTOMS',
  'GROUP_SC_PROCESSING',
  'GROUP_LH_PROCESSING',
  'GROUP_LH_ARRIVE',
  'GROUP_EX_CLEARING_CUSTOMS',
  'GROUP_IM_CLEARING_CUSTOMS',
  'GROUP_DES_PROCESSING',
  'GROUP_DELIVERING',
]);

/** The status one code means, or undefined for a code no source names. */
export function statusOfCode(code: string | undefined): TrackingStatus | undefined {
  if (!code || code.trim() === '') return undefined;
  const key = bare(code);
  if (ABNORMAL_CODES.has(key) || RETURN_FAMILY.test(key)) return 'abnormal';
  if (PICKUP_CODES.has(key)) return 'pickup';
  if (DELIVERED_CODES.has(key)) return 'delivered';
  if (PENDING_CODES.has(key)) return 'pending';
  if (IN_TRANSIT_CODES.has(key)) return 'in_transit';
  return undefined;
}

/**
 * Status words, for events whose codes say nothing. English only, from the real captures and a
 * carrier's real fixture. Failures first: "Return Success" / "Your shipment has been returned
 * successfully to sender", "Your shipment will be returned to its origin", "Parcel Expired at
 * PUDO", "Delivery Attempt Failure". No real wording for "lost" or "held at customs" is known, so
 * none is listed.
 */
const TEXT_STATUS: ReadonlyArray<[RegExp, TrackingStatus]> = [
  [/^(?:return success|your shipment has been returned successfully to sender|your shipment will be returned to its origin|parcel expired at pudo|delivery attempt failure)/, 'abnormal'],
  [/^(?:package |parcel )?delivered\b/, 'delivered'],
  [
    /^(?:in transit|in customs|at customs|out for delivery|collected by (?:destination )?carrier|customs complete|delivery update|package collected by carrier|leaving customs|departed from|arrived at|accepted by carrier|accepted for transportation|received by logistics company|shipment on the way|(?:import|export) customs clearance)/,
    'in_transit',
  ],
  [/^(?:package in preparation|order created|your package is being prepared|your order's been created)/, 'pending'],
];

export function statusOfText(text: string | undefined): TrackingStatus | undefined {
  if (!text) return undefined;
  const folded = foldText(text);
  for (const [pattern, status] of TEXT_STATUS) if (pattern.test(folded)) return status;
  return undefined;
}

/**
 * `fulfillStage` values of the tracking page: 1100 pickup, 1200 sorting, 1400 line haul, 1600
 * customs, 1700 last mile (PROVENANCE.md). Pickup and later means a carrier has the parcel.
 */
const CARRIER_STAGE = /^1[1-7]\d\d$/;

export interface EventEvidence {
  codes: Array<string | undefined>;
  stage?: string;
  texts: Array<string | undefined>;
}

export interface TrackingStatusReading {
  status: TrackingStatus | undefined;
  /** Codes no source names, as the events carry them: the page report collects them. */
  unknownCodes: string[];
}

/** One event's status: its codes (a failure among them wins), then its words, then its stage. */
function statusOfEvent(event: EventEvidence, unknownCodes: string[]): TrackingStatus | undefined {
  const known: TrackingStatus[] = [];
  for (const code of event.codes) {
    if (!code || code.trim() === '') continue;
    const status = statusOfCode(code);
    if (status) known.push(status);
    else if (!unknownCodes.includes(code.trim())) unknownCodes.push(code.trim());
  }
  if (known.includes('abnormal')) return 'abnormal';
  if (known[0]) return known[0];
  for (const text of event.texts) {
    const status = statusOfText(text);
    if (status) return status;
  }
  if (event.stage && CARRIER_STAGE.test(event.stage)) return 'in_transit';
  return undefined;
}

/**
 * A package's tracking status from its events, newest first: the newest event that says anything
 * decides. An event whose only code is unknown and whose words and stage say nothing decides
 * nothing: its code is reported, and an older event speaks instead.
 */
export function trackingStatusOf(events: EventEvidence[]): TrackingStatusReading {
  const unknownCodes: string[] = [];
  let status: TrackingStatus | undefined;
  // Every event is looked at, so the unknown codes of older events are reported too.
  for (const event of events) {
    const said = statusOfEvent(event, unknownCodes);
    status ??= said;
  }
  return { status, unknownCodes };
}

const UNKNOWN_CODES_TAIL = " (not read as a status: the event's words and stage, else the events before it, decide)";

/** The warning that reports unknown codes, worded once so the page report can collect them (unknownCodesOf). */
export const unknownCodesWarning = (trackingNumber: string, codes: readonly string[]): string =>
  `package ${trackingNumber}: unknown tracking code${codes.length > 1 ? 's' : ''} ${codes.join(', ')}${UNKNOWN_CODES_TAIL}`;

/** The package and the codes an unknownCodesWarning names; undefined for any other warning. */
export function unknownCodesOf(warning: string): { trackingNumber: string; codes: string[] } | undefined {
  if (!warning.endsWith(UNKNOWN_CODES_TAIL)) return undefined;
  const m = /^package (.+?): unknown tracking codes? (.+)$/s.exec(warning.slice(0, -UNKNOWN_CODES_TAIL.length));
  return m ? { trackingNumber: m[1]!, codes: m[2]!.split(', ') } : undefined;
}
