/**
 * A "page report": what the merchant copies for us when the extension did not recognise an
 * AliExpress page. AliExpress pages carry the buyer's name, shipping address and phone number, so
 * everything that could be one is removed before the text reaches the clipboard. It errs on the
 * side of removing too much: a report missing a store name still helps fix the reader, a report
 * with a customer's address must never be sent.
 */
import type { PageProblem } from '../cache/db';
import { MAX_PAGE_SAMPLE_CHARS } from '../domain/page-sample';

export const REMOVED = '[removed]';

/** JSON keys and HTML class/id words that hold personal data on AliExpress pages (any language). */
const PERSONAL_WORD =
  /receiver|recipient|consignee|buyer|customer|contact|fullname|firstname|lastname|username|nickname|address|addr|street|city|province|zip|postcode|postal|phone|mobile|telephone|email|passport|taxnumber|cpf|^name$/i;
/** Labels in front of personal data in visible text: "Name: …", "Téléphone : …". */
const PERSONAL_LABEL =
  /\b(contact name|full name|name|nome|nombre|nom|address|endereço|endereco|dirección|direccion|adresse|phone(?: number)?|telefone|teléfono|telefono|téléphone|telephone|mobile|tel|e-?mail|cpf|cnpj|dni|rfc)(\s*[:：]\s*)([^<\n"\\]+)/gi;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
/** 7 to 15 digits (E.164 allows no more), optionally "+", with the usual separators in between. */
const PHONE = /(?<![\w.])\+?\d(?:[ ().-]{0,2}\d){6,14}(?![\w])/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
/** Unix times in seconds or milliseconds (from 2020 on): the event times a reader needs. */
const EPOCH = /^1[5-9]\d{8}(?:\d{3})?$/;

function stripPhone(match: string): string {
  const digits = match.replace(/\D/g, '');
  if (ISO_DATE.test(match) || (!match.startsWith('+') && EPOCH.test(match)) || digits.length < 7) return match;
  return REMOVED;
}

/**
 * A JSON key, its separator, then a string value (up to the same kind of closing quote) or a
 * number: once for plain JSON, once for JSON escaped into a string (`\"key\":\"value\"`).
 */
const JSON_PAIRS: readonly { quote: string; pattern: RegExp }[] = [
  { quote: '"', pattern: /("([A-Za-z0-9_$-]+)"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d .-]*)/g },
  { quote: '\\"', pattern: /(\\"([A-Za-z0-9_$-]+)\\"\s*:\s*)(\\"(?:[^"\\]|\\[^"])*\\"|-?\d[\d .-]*)/g },
];

/** `"receiverName": "Ana"` → `"receiverName": "[removed]"`, also inside JSON escaped into a string. */
function stripJsonValues(text: string): string {
  let out = text;
  for (const { quote, pattern } of JSON_PAIRS) {
    out = out.replace(pattern, (whole, prefix: string, key: string) => (PERSONAL_WORD.test(key) ? `${prefix}${quote}${REMOVED}${quote}` : whole));
  }
  return out;
}

/** Class, id and data-* values naming what an element holds; a store or product name is not personal. */
function marksPersonal(attrs: string): boolean {
  const tokens = [...attrs.matchAll(/\b(?:class|id|data-[\w-]+)=("[^"]*"|'[^']*')/gi)].flatMap((a) => a[1]!.slice(1, -1).split(/\s+/));
  return tokens.some(
    (token) => !/store|shop|seller|product|item|sku|brand/i.test(token) && (/name$/i.test(token) || token.split(/[_-]+/).some((word) => PERSONAL_WORD.test(word))),
  );
}

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/**
 * Text inside an element whose class or id names personal data (`<div class="receiver-address">`)
 * is removed, however deeply nested; so are form values. Scripts and styles are left to the JSON
 * and text rules. A tag soup that does not close errs towards removing more.
 */
function stripMarkedElements(html: string): string {
  const out: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w-]*)([^>]*)>/g;
  const lower = html.toLowerCase();
  let depth = 0;
  let redactUntil = -1; // the depth at which the personal element was opened, or -1
  let last = 0;
  let m: RegExpExecArray | null;
  const pushText = (text: string) => out.push(redactUntil >= 0 && text.trim() ? REMOVED : text);
  while ((m = tag.exec(html))) {
    pushText(html.slice(last, m.index));
    const [whole, closing, rawName, attrs = ''] = m;
    const name = rawName!.toLowerCase();
    out.push(whole.replace(/\b(value|title|alt|placeholder|aria-label)=("[^"]*"|'[^']*')/gi, (_, attr: string) => `${attr}="${REMOVED}"`));
    last = tag.lastIndex;
    if (closing) {
      depth = Math.max(0, depth - 1);
      if (redactUntil >= 0 && depth <= redactUntil) redactUntil = -1;
      continue;
    }
    if ((name === 'script' || name === 'style') && !attrs.endsWith('/')) {
      // Their content is not markup: copy it as is, up to the end tag.
      const end = lower.indexOf(`</${name}`, last);
      const stop = end < 0 ? html.length : end;
      out.push(html.slice(last, stop));
      last = stop;
      tag.lastIndex = stop;
      depth += 1;
      continue;
    }
    if (VOID_ELEMENTS.has(name) || attrs.endsWith('/')) continue;
    if (redactUntil < 0 && marksPersonal(attrs)) redactUntil = depth;
    depth += 1;
  }
  pushText(html.slice(last));
  return out.join('');
}

/** Removes names, addresses, phone numbers and e-mail addresses from page text, HTML or JSON. */
export function stripPersonalData(text: string): string {
  let out = stripJsonValues(text);
  if (/<[a-zA-Z][^>]*>/.test(out)) out = stripMarkedElements(out);
  out = out.replace(EMAIL, REMOVED);
  out = out.replace(PERSONAL_LABEL, (_, label: string, sep: string) => `${label}${sep}${REMOVED}`);
  out = out.replace(PHONE, stripPhone);
  return out;
}

/** Query parameters that identify an order or a page, not a person; every other value is dropped. */
const KEPT_PARAMS = new Set(['orderId', 'tradeOrderId', 'page', 'tab', 'lang', 'spm']);

export function stripUrl(url: string): string {
  try {
    const u = new URL(url);
    // Collected first: setting a parameter while iterating the live list would skip some.
    for (const key of Array.from(new Set(u.searchParams.keys()))) if (!KEPT_PARAMS.has(key)) u.searchParams.set(key, REMOVED);
    u.hash = '';
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return stripPersonalData(url);
  }
}

/** What the report says about the extension and browser: enough to reproduce, nothing personal. */
export interface ReportContext {
  extensionVersion: string;
  browser: string;
  locale: string;
}

/** The page problem as text for the clipboard, personal data removed. `sample` is the page's HTML or data, when kept. */
export function buildPageReport(problem: PageProblem, context: ReportContext, sample?: string): string {
  const lines = [
    'Ali Order Sync page report',
    `Extension: ${context.extensionVersion}`,
    `Browser: ${context.browser}`,
    `Language: ${context.locale}`,
    `Page kind: ${problem.kind}`,
    `URL: ${stripUrl(problem.url)}`,
    `Seen at: ${problem.at}`,
    'Reader warnings:',
    ...(problem.warnings.length ? problem.warnings.map((w) => `- ${stripPersonalData(w)}`) : ['- (none)']),
  ];
  if (sample) {
    const clipped = sample.length > MAX_PAGE_SAMPLE_CHARS ? `${sample.slice(0, MAX_PAGE_SAMPLE_CHARS)}\n[… cut at ${MAX_PAGE_SAMPLE_CHARS} characters]` : sample;
    lines.push('Page sample (personal data removed):', stripPersonalData(clipped));
  }
  return lines.join('\n');
}
