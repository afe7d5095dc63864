/**
 * A contract server for Cainiao's public tracking (`global.cainiao.com/global/detail.json`), as the
 * sandbox and the tests answer it: one `module[]` entry per number asked, in the shape of the real
 * captures in tests/fixtures/aliexpress-real (cainiao-detail-*.json), HTTP 200 with an empty
 * `detailList` and `mailNoSource: "EXTERNAL"` for a number it does not know (as the real capture
 * shows), 414 for a request line longer than a common web server takes, and, when told to, an
 * HTTP error or Alibaba's slider check page instead of JSON. It counts every request.
 *
 * It proves our side of the contract, not that the live service agrees.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { CAINIAO_DETAIL_URL, CAINIAO_URL_LIMIT } from '../../../lib/cainiao/url';

const REAL = new URL('../../../tests/fixtures/aliexpress-real/', import.meta.url);
const PAGES = new URL('../../../tests/fixtures/pages/', import.meta.url);

type Entry = Record<string, unknown> & { mailNo: string; detailList: Record<string, unknown>[] };
const realEntry = (file: string): Entry => JSON.parse(readFileSync(new URL(file, REAL), 'utf8')).module[0];

/** A parcel as Cainiao tracks it: the real capture of that stage, under another number. */
export type CainiaoParcel = 'delivered' | 'in_transit' | 'abnormal' | 'external';

const HOUR = 3_600_000;

/**
 * The real entries, their newest event moved to `newestAt` (every event by the same amount), so a
 * demo's parcel moved hours ago rather than in the capture's month.
 */
function entryFor(number: string, parcel: CainiaoParcel, newestAt: number): Entry {
  if (parcel === 'external') return { ...realEntry('cainiao-detail-unknown-number.json'), mailNo: number };
  const entry = structuredClone(realEntry(parcel === 'delivered' ? 'cainiao-detail-delivered.json' : 'cainiao-detail-in-customs.json'));
  entry.mailNo = number;
  delete entry.realMailNo;
  if (parcel === 'abnormal') {
    // A failed delivery on top of the parcel's journey: Cainiao's official failure code, in the
    // wording a carrier's real fixture shows for it (reference/aliexpress-signals.md).
    const failure: Record<string, unknown> = {
      ...entry.detailList[0],
      desc: 'Delivery Attempt Failure',
      standerdDesc: 'Delivery Attempt Failure',
      actionCode: 'GTMS_DEL_FAILURE',
      time: (entry.detailList[0]!.time as number) + 2 * 86_400_000,
    };
    delete failure.group;
    entry.detailList = [failure, ...entry.detailList];
    entry.latestTrace = failure;
    delete entry.status;
    delete entry.statusDesc;
  }
  const delta = newestAt - (entry.detailList[0]!.time as number);
  const shift = (event: Record<string, unknown>) => {
    const time = (event.time as number) + delta;
    // timeStr is the event's local time: moved by the same amount, it stays consistent with `time`.
    const local = Date.parse(`${String(event.timeStr).replace(' ', 'T')}Z`) + delta;
    return { ...event, time, timeStr: new Date(local).toISOString().slice(0, 19).replace('T', ' ') };
  };
  entry.detailList = entry.detailList.map(shift);
  if (entry.latestTrace) entry.latestTrace = shift(entry.latestTrace as Record<string, unknown>);
  delete entry.globalCombinedLogisticsTraceDTO;
  return entry;
}

/** The numbers of the sandbox's tracking answers (tests/fixtures/pages/tracking), by stage. */
export function sandboxParcels(): Map<string, CainiaoParcel> {
  const parcels = new Map<string, CainiaoParcel>();
  const dir = new URL('tracking/', PAGES);
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.json')) continue;
    const line = JSON.parse(readFileSync(new URL(file, dir), 'utf8')).data?.module?.trackingDetailLineList?.[0];
    if (!line?.mailNo) continue;
    const codes = (line.detailList ?? []).map((e: { trackingPrimaryCode?: string }) => e.trackingPrimaryCode);
    parcels.set(line.mailNo, codes.includes('AE_GTMS_SIGNED') ? 'delivered' : 'in_transit');
  }
  // The demo's made-up orders (server/demo.ts): one delivered since the demo's seed read it (what
  // the demo's refresh shows), one whose label nothing scanned since, unknown to Cainiao.
  parcels.set('LP00DEMO1010', 'delivered');
  parcels.set('LP00DEMO1012', 'external');
  return parcels;
}

export interface CainiaoAnswerOut {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export interface CainiaoContract {
  /** Every detail.json URL asked, in order. */
  requests: string[];
  /** How Cainiao tracks a number from now on. */
  setParcel(trackingNumber: string, parcel: CainiaoParcel): void;
  /** The next `times` requests get this instead of an answer. */
  refuseNext(kind: 'http_error' | 'slider_check', times?: number): void;
  /** Answers one request URL (undefined: not a detail.json URL). */
  answer(url: URL): CainiaoAnswerOut | undefined;
}

export function cainiaoContract({ parcels = sandboxParcels(), now = () => Date.now() }: { parcels?: Map<string, CainiaoParcel>; now?: () => number } = {}): CainiaoContract {
  const requests: string[] = [];
  const refusals: ('http_error' | 'slider_check')[] = [];
  const punish = readFileSync(new URL('bot-check-punish.html', PAGES), 'utf8');
  return {
    requests,
    setParcel: (number, parcel) => void parcels.set(number, parcel),
    refuseNext(kind, times = 1) {
      for (let i = 0; i < times; i++) refusals.push(kind);
    },
    answer(url) {
      if (`${url.origin}${url.pathname}` !== CAINIAO_DETAIL_URL) return undefined;
      requests.push(url.href);
      const refusal = refusals.shift();
      if (refusal === 'http_error') return { status: 503, contentType: 'text/html', body: '<html><body>Service Unavailable</body></html>', headers: { 'retry-after': '120' } };
      if (refusal === 'slider_check') return { status: 200, contentType: 'text/html; charset=utf-8', body: punish };
      if (url.href.length > CAINIAO_URL_LIMIT) return { status: 414, contentType: 'text/html', body: '<html><body>414 Request-URI Too Large</body></html>' };
      const numbers = (url.searchParams.get('mailNos') ?? '').split(',').filter(Boolean);
      // Each parcel moved a few hours before now, the first one newest.
      const module = numbers.map((n, i) => entryFor(n, parcels.get(n) ?? 'external', now() - (2 + i) * HOUR));
      return { status: 200, contentType: 'application/json;charset=UTF-8', body: JSON.stringify({ module, success: true }) };
    },
  };
}
