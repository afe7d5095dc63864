/**
 * Cainiao's public tracking (`global.cainiao.com/global/detail.json`): the request for a batch of
 * tracking numbers, and what its answer means for each number asked. Pure: the worker fetches,
 * this reads (the facts: reference/aliexpress-signals.md, "Cainiao's public tracking").
 */
import type { Package } from '../domain/snapshot';
import { isRecord, parseJsonOrJsonp, stringField } from '../aliexpress/mtop';
import { isCainiaoDetail, readCainiaoPackages } from '../aliexpress/tracking';
import { cleanText } from '../aliexpress/text';

/** Why Cainiao cannot refresh a number: it does not track it itself, or knows nothing of it yet. */
export type UnservedReason = 'external' | 'no_events';

/** What one answer says, for the numbers it was asked about. */
export type CainiaoAnswer =
  | {
      kind: 'ok';
      /** Numbers with events, read as any tracking page's packages. */
      packages: Package[];
      /** Numbers Cainiao answered for but cannot serve: their AliExpress tracking page still can. */
      unserved: { trackingNumber: string; reason: UnservedReason }[];
      /** Numbers asked but absent from the answer: neither refreshed nor given up on. */
      missing: string[];
      warnings: string[];
    }
  /** Cainiao said no (HTTP error, its slider check, `success: false`): nothing is known of any number. */
  | { kind: 'refused'; reason: 'http_error' | 'slider_check' | 'not_json' | 'not_success'; status: number; message: string; retryAfterSeconds?: number };

export interface RawAnswer {
  status: number;
  /** The `Retry-After` header, where the server sent one. */
  retryAfter?: string | null;
  text: string;
}

/**
 * Markers of Alibaba's slider check page ("punish" page, Alibaba's published script) that
 * Cainiao, an Alibaba company, serves in place of JSON when it suspects a robot.
 */
const SLIDER_MARKERS = /baxia-punish|nocaptcha|x5secdata|_____tmd_____|puzzleCaptcha|slide to verify/i;

function retryAfterSeconds(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 86_400);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.min(86_400, Math.round((at - Date.now()) / 1000)));
}

/** Reads one detail.json answer for `asked`. Never throws. */
export function readCainiaoAnswer(raw: RawAnswer, asked: readonly string[]): CainiaoAnswer {
  const after = retryAfterSeconds(raw.retryAfter);
  const refused = (reason: Extract<CainiaoAnswer, { kind: 'refused' }>['reason'], message: string): CainiaoAnswer => ({
    kind: 'refused',
    reason,
    status: raw.status,
    message,
    ...(after !== undefined && { retryAfterSeconds: after }),
  });
  if (raw.status < 200 || raw.status >= 300) return refused('http_error', `Cainiao answered HTTP ${raw.status}`);
  const body = parseJsonOrJsonp(raw.text);
  if (body === undefined) {
    return SLIDER_MARKERS.test(raw.text) ? refused('slider_check', 'Cainiao showed its slider check instead of an answer') : refused('not_json', 'Cainiao answered something that is not JSON');
  }
  if (isRecord(body) && body.success === false) return refused('not_success', 'Cainiao answered success: false');
  if (!isCainiaoDetail(body)) return refused('not_success', 'Cainiao answered without any tracking number');
  const warnings: string[] = [];
  const entries = new Map<string, Record<string, unknown>>();
  for (const item of (body as { module: unknown[] }).module) {
    if (!isRecord(item)) continue;
    const number = cleanText(stringField(item, 'mailNo'));
    if (number) entries.set(number, item);
  }
  const wanted = new Set(asked);
  const packages: Package[] = [];
  const unserved: { trackingNumber: string; reason: UnservedReason }[] = [];
  // Numbers Cainiao tracks itself, read by the readers like any tracking answer.
  const own: unknown[] = [];
  for (const [number, item] of entries) {
    if (!wanted.has(number)) {
      warnings.push(`Cainiao answered for ${number}, which was not asked`);
      continue;
    }
    if (stringField(item, 'mailNoSource') === 'EXTERNAL') unserved.push({ trackingNumber: number, reason: 'external' });
    else own.push(item);
  }
  for (const pkg of readCainiaoPackages({ module: own }, warnings)) packages.push(pkg);
  const read = new Set(packages.map((p) => p.trackingNumber));
  for (const item of own) {
    const number = cleanText(stringField(item as Record<string, unknown>, 'mailNo'));
    if (!read.has(number)) unserved.push({ trackingNumber: number, reason: 'no_events' });
  }
  const missing = asked.filter((n) => !entries.has(n));
  return { kind: 'ok', packages, unserved, missing, warnings };
}
