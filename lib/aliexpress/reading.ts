/**
 * The common base of every reader in this folder: what a reading is, the one guard that keeps a
 * reader from throwing, and the order-id helpers all of them share. Zod-free: content scripts
 * load the DOM readers on every order page.
 */
import { ALI_ORDER_ID_DIGITS, isAliOrderId } from '../domain/ids';
import type { AliOrder, ListTabs, SnapshotKind } from '../domain/snapshot';
import { cleanText } from './text';
import { ORDER_ID_PARAMS } from './urls';

/** What one read of a page, or of one of its API answers, says. */
export interface PageReading {
  kind: SnapshotKind;
  orders: AliOrder[];
  warnings: string[];
  /** An order list's tabs: the one it was read under, and the ones it offers. */
  list?: ListTabs;
}

export const unknownReading = (reason: string): PageReading => ({ kind: 'unknown', orders: [], warnings: [reason] });

/**
 * Runs a reader and turns anything it throws into an `unknown` reading that says what could not
 * be read: every reader is called through this, so none needs its own try/catch. Consumers never
 * let an `unknown` reading overwrite good data. Readers are built with it at module level, so
 * each such call carries the bundler's `@__PURE__` annotation: without it the bundler keeps
 * every reader in every content script (the login page's script would carry the list's reader).
 */
export function readSafely<A extends unknown[], R extends PageReading>(what: string, read: (...args: A) => R): (...args: A) => R | PageReading {
  return (...args: A) => {
    try {
      return read(...args);
    } catch (error) {
      return unknownReading(`${what} unreadable: ${String(error)}`);
    }
  };
}

/** An order id anywhere in a text (15 or 16 digits, see lib/domain/ids.ts). */
export const orderIdInText = (): RegExp => new RegExp(ALI_ORDER_ID_DIGITS, 'g');

const ID_IN_URL = /* @__PURE__ */ new RegExp(`(?:${ORDER_ID_PARAMS.join('|')})["']?\\s*[=:]\\s*["']?(${ALI_ORDER_ID_DIGITS})`);
const ID_IN_LINK = /* @__PURE__ */ new RegExp(`(?:${ORDER_ID_PARAMS.join('|')})=(${ALI_ORDER_ID_DIGITS})`, 'g');

/** The order id in a URL: `tradeOrderId=`, `orderId=`, `tradeId=`, or inside `data=` JSON. */
export function orderIdFromUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // A malformed escape: read the URL as it is.
  }
  return ID_IN_URL.exec(decoded)?.[1];
}

/** Every order id the links in a text name (`orderId=…`), in order, deduplicated. */
export function orderIdsInLinks(text: string): string[] {
  return [...new Set([...text.matchAll(ID_IN_LINK)].map((m) => m[1]!))];
}

/** A valid order id from a field that may hold a string or a number, or undefined. */
export function validOrderId(value: unknown): string | undefined {
  const text = typeof value === 'number' ? (Number.isSafeInteger(value) ? String(value) : undefined) : typeof value === 'string' ? value.trim() : undefined;
  return isAliOrderId(text) ? text : undefined;
}

export function textOf(node: Element | null | undefined): string {
  return cleanText(node?.textContent);
}
