/**
 * The diagnostic reader behind `npm run parse -- FILE [--url URL]`: a saved page (.html) or an
 * API answer (.json, JSONP allowed) in, a snapshot out. Pure: text in, result out; the script
 * does the file system and the parsing of HTML into a Document.
 */
import type { Snapshot } from '../domain/snapshot';
import { parseJsonOrJsonp } from './mtop';
import { readApiResponse, readPageDom } from './read-page';
import { toSnapshot } from './to-snapshot';

export type ParsedFile = { ok: true; snapshot: Snapshot } | { ok: false; error: string };

/** Turns HTML text into a Document (the script passes linkedom's parseHTML). */
export type HtmlParser = (html: string) => Document;

/** Fixed default time, so that two runs on one file print the same snapshot. */
export const DEFAULT_CAPTURED_AT = '1970-01-01T00:00:00.000Z';

function looksLikeHtml(text: string): boolean {
  return /^\s*(?:<!doctype html|<html|<head|<body|<div|<!--)/i.test(text) || /<\/(?:html|body|div)>/i.test(text);
}

/**
 * A URL to read the file under when none is given: from a `<link rel="canonical">` or
 * `og:url` a saved page keeps, else a neutral one (the file then reads as `unknown` unless its
 * content says what it is).
 */
function defaultUrl(document: Document | undefined, filename: string): string {
  const fromPage =
    document?.querySelector('link[rel="canonical"]')?.getAttribute('href') ??
    document?.querySelector('meta[property="og:url"]')?.getAttribute('content');
  if (fromPage && /^https?:\/\//.test(fromPage)) return fromPage;
  const name = filename.split(/[\\/]/).pop() ?? 'file';
  return `file:///${encodeURIComponent(name)}`;
}

export interface ParseOptions {
  /** The URL to read the file under (else the page's canonical link, else a neutral one). */
  url?: string;
  capturedAt?: string;
  parseHtml?: HtmlParser;
  /** What the page sent with an API request (a POST's form body): the order list names its tab there. */
  request?: string;
}

export function parseFileText(text: string, filename: string, options: ParseOptions = {}): ParsedFile {
  const { url, capturedAt = DEFAULT_CAPTURED_AT, parseHtml, request } = options;
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { ok: false, error: `${filename}: the file is empty` };
  const isHtmlName = /\.html?$/i.test(filename);
  if (!isHtmlName || !looksLikeHtml(trimmed)) {
    const body = parseJsonOrJsonp(trimmed);
    if (body !== undefined) {
      const pageUrl = url ?? defaultUrl(undefined, filename);
      return { ok: true, snapshot: toSnapshot(readApiResponse(pageUrl, body, request), pageUrl, capturedAt) };
    }
    if (!looksLikeHtml(trimmed)) return { ok: false, error: `${filename}: neither HTML nor JSON/JSONP` };
  }
  if (!parseHtml) return { ok: false, error: `${filename}: no HTML parser given` };
  let document: Document;
  try {
    document = parseHtml(trimmed);
  } catch (error) {
    return { ok: false, error: `${filename}: the HTML could not be parsed (${String(error)})` };
  }
  const pageUrl = url ?? defaultUrl(document, filename);
  const reading = readPageDom(pageUrl, document);
  // A saved list page also carries its init data: read it when the DOM says nothing.
  if (reading.kind === 'unknown') {
    const inline = /_init_data_\s*=\s*(\{[\s\S]*?\});\s*\n/.exec(trimmed)?.[1];
    const body = inline ? parseJsonOrJsonp(inline) : undefined;
    if (body !== undefined) {
      const fromData = readApiResponse(pageUrl, body);
      if (fromData.kind !== 'unknown') return { ok: true, snapshot: toSnapshot(fromData, pageUrl, capturedAt) };
    }
  }
  return { ok: true, snapshot: toSnapshot(reading, pageUrl, capturedAt) };
}

/** One line per order and per warning, for a person reading the parse script's output. */
export function describeSnapshot(filename: string, snapshot: Snapshot): string[] {
  const lines = [`${filename}: ${snapshot.kind}, ${snapshot.orders.length} order(s)`];
  for (const order of snapshot.orders) {
    const packages = order.packages.map((p) => `${p.trackingNumber} ${p.trackingStatus}`).join(', ');
    lines.push(`  order ${order.aliOrderId}: ${order.status}${order.statusSource ? ` (from ${order.statusSource})` : ''}${packages ? `; packages ${packages}` : ''}`);
  }
  for (const warning of snapshot.warnings) lines.push(`  warning: ${warning}`);
  return lines;
}
