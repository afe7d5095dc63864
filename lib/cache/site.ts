/**
 * Which AliExpress site the merchant uses, from where their pages are read: the popup's links and
 * the pages a sync opens follow it (a merchant on www.aliexpress.us gets www.aliexpress.us).
 */
import { siteOriginOf } from '../aliexpress/urls';
import type { Snapshot } from '../domain/snapshot';
import type { AliExpressOrigin } from './records';

/**
 * The site after this read, or undefined when it stays as it was: not a page of a site (Cainiao,
 * the login host), or read before the latest read (reads can arrive late, out of order).
 */
export function originAfterRead(current: AliExpressOrigin | undefined, snapshot: Pick<Snapshot, 'url' | 'capturedAt'>): AliExpressOrigin | undefined {
  const origin = siteOriginOf(snapshot.url);
  if (!origin || (current && snapshot.capturedAt <= current.at)) return undefined;
  return { origin, at: snapshot.capturedAt };
}
