/**
 * A "page report": what the merchant copies for us when the extension did not recognise an
 * AliExpress page. AliExpress pages carry the buyer's name, shipping address and phone number, so
 * everything that could be one is removed before the text reaches the clipboard. It errs on the
 * side of removing too much: a report missing a store name still helps fix the reader, a report
 * with a customer's address must never be sent.
 */
import { isStatusCode, statusFromText } from '../aliexpress/order-status';
import type { PageProblem, UnreadEntry } from '../cache/db';
import { MAX_PAGE_SAMPLE_CHARS } from '../domain/page-sample';

export const REMOVED = '[removed]';

// ---------------------------------------------------------------------------------------------
// An allow-list: what is kept is named here, every other text is replaced. A deny-list of
// personal labels and keys misses the next language, the next key, the label in a sibling
// element; what a reader needs to be fixed (structure, ids, codes, status words) is a short list.

/** AliExpress's order-list button types (reference/aliexpress-signals.md): codes in every language. */
const BUTTON_TYPES = new Set(['REPURCHASE', 'DELETE', 'CONFIRM_GOODS', 'TRACKING']);
let currencies: ReadonlySet<string> | undefined;
const isCurrency = (token: string) => (currencies ??= new Set(Intl.supportedValuesOf('currency'))).has(token);

/** One word of a text that may stay: an id, a code, a time, an amount, a known status word. */
function keptToken(token: string): boolean {
  return (
    /^\d{1,4}$/.test(token) || // counts, quantities, house-number-sized figures
    /^\d{1,6}[.,]\d{1,3}$/.test(token) || // amounts
    /^\d{15,16}$/.test(token) || // order ids (15 digits for older orders); longer than any phone number in the property tests
    /^1[5-9]\d{8}(?:\d{3})?$/.test(token) || // Unix times in seconds or milliseconds, from 2017 on
    /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(token) || // ISO dates and times
    /^\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2})?$/.test(token) || // their minutes and seconds, in a text cut at colons
    /^[A-Z]{1,4}\d{6,}[A-Z]{0,4}$/.test(token) || // tracking numbers (LP961591322BR)
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(token) || // codes (FAIL_SYS_SESSION_EXPIRED, GTMS_SIGNED)
    /^mtop(?:\.[a-z0-9]+)+$/.test(token) || // API names
    /^(?:true|false|null)$/.test(token) ||
    BUTTON_TYPES.has(token) ||
    isStatusCode(token) ||
    isCurrency(token) ||
    statusFromText(token) !== undefined
  );
}

/** Where a text is cut into words: spaces of every kind, and punctuation that no kept word holds. */
const SEPARATORS = /(\[removed\]|[\s\u00a0\u2000-\u200b\u202f\u3000,;:(){}<>|/\\"'`=+*#&!?¿¡]+)/u;
const RUN_OF_REMOVED = new RegExp(`${escapeRegExp(REMOVED)}(?:[\\s\\u00a0,.;:-]*${escapeRegExp(REMOVED)})+`, 'g');

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Seven or more digits in groups (`+55 11 98765-4321`, non-breaking spaces and all): a phone
 * number, whose groups one by one would each pass as a small figure. Kept only as ids or times
 * standing next to each other, or a date.
 */
const DIGIT_GROUPS = /(?<![\p{L}\d_])\+?\d(?:[\s\u00a0\u2000-\u200b\u202f()./-]{0,3}\d){6,}(?![\p{L}\d_])/gu;

function redactDigitGroups(match: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(match)) return match;
  const groups = match.split(/\D+/).filter(Boolean);
  return groups.every((group) => group.length >= 10 && keptToken(group)) ? match : REMOVED;
}

/**
 * The text of a status (a `statusText` key, an element whose class names a status): the one text
 * a report is for when the reader does not know it (DESIGN: "the text in the page report"). Kept
 * when short and free of figures and e-mail signs; otherwise it is text like any other.
 */
function redactStatusText(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= 60 && !/[\d@&]/.test(trimmed) ? text : redactValue(text);
}
const STATUS_NAME = /status/i;

/** A text value (an element's text, a string in the page's data, an attribute): allowed words kept. */
function redactValue(value: string): string {
  const trimmed = value.trim();
  if (!trimmed) return value;
  if (keptToken(trimmed)) return value;
  if (/^https?:\/\/\S+$/.test(trimmed)) return stripUrl(trimmed);
  // `ana&#64;example.com` is an e-mail address too.
  const words = decodeEntities(value).replace(DIGIT_GROUPS, redactDigitGroups).split(SEPARATORS).map((part, i) => (i % 2 === 1 || !part || keptToken(part) ? part : REMOVED));
  return words.join('').replace(RUN_OF_REMOVED, REMOVED);
}

// ---------------------------------------------------------------------------------------------
// Page data: JSON, JSONP and scripts

/** A string literal, a comment, or a number, in script or JSON text. */
const CODE_TOKEN = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*|(?<![\w$.])-?\d[\d.eE+-]*/g;

function unquote(literal: string): string {
  const inner = literal.slice(1, -1);
  if (literal[0] !== '"') return inner.replace(/\\(.)/g, '$1');
  try {
    return JSON.parse(literal) as string;
  } catch {
    return inner;
  }
}

/** A string of the page's data: a key stays if it is a name, a value by the allow-list (nested JSON or HTML inside it too). */
function redactLiteral(literal: string, isKey: boolean, key: string | undefined): string {
  const text = unquote(literal);
  let out: string;
  if (isKey) out = /^[A-Za-z_$][\w$.-]{0,80}$/.test(text) ? text : REMOVED;
  else if (key && STATUS_NAME.test(key)) out = redactStatusText(text);
  else if (/^\s*[{[]/.test(text)) out = redactCode(text);
  else if (/^\s*<[a-zA-Z!]/.test(text)) out = redactHtml(text);
  else out = redactValue(text);
  if (out === text) return literal;
  return literal[0] === '"' ? JSON.stringify(out) : `${literal[0]}${out.replace(/[\\'`]/g, '\\$&')}${literal[0]}`;
}

/** Keys, identifiers and punctuation are structure and stay; strings, numbers and comments pass the allow-list. */
function redactCode(code: string): string {
  return code.replace(CODE_TOKEN, (token, offset: number) => {
    const first = token[0]!;
    if (first === '/') return token.startsWith('//') ? `// ${REMOVED}` : `/* ${REMOVED} */`;
    if (first === '"' || first === "'" || first === '`') {
      const isKey = /^\s*:/.test(code.slice(offset + token.length, offset + token.length + 20));
      // The key this value is under (quoted or not), for status texts.
      const key = isKey ? undefined : /["'`]?([\w$]+)["'`]?\s*:\s*$/.exec(code.slice(Math.max(0, offset - 100), offset))?.[1];
      return redactLiteral(token, isKey, key);
    }
    return keptToken(token.replace(/^-/, '')) ? token : `"${REMOVED}"`;
  });
}

// ---------------------------------------------------------------------------------------------
// Markup

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An attribute: class and id name the structure (kept as words); links lose their personal parameters; the rest is text. */
function redactAttribute(name: string, rawValue: string): string {
  const quote = rawValue[0] === '"' || rawValue[0] === "'" ? rawValue[0] : '';
  const value = decodeEntities(quote ? rawValue.slice(1, -1) : rawValue);
  const lower = name.toLowerCase();
  let out: string;
  if (lower === 'class' || lower === 'id') out = value.split(/\s+/).map((word) => (!word || /^[A-Za-z_][\w-]*$/.test(word) ? word : REMOVED)).join(' ');
  else if (lower === 'href' || lower === 'src' || lower === 'action') out = /^https?:/i.test(value) ? stripUrl(value) : value.startsWith('#') ? '#' : REMOVED;
  else if (lower.startsWith('on') || lower === 'style') out = redactCode(value);
  else out = redactValue(value);
  return `${name}="${escapeText(out).replace(/"/g, '&quot;')}"`;
}

function redactTag(tag: string): string {
  const m = /^<(\/?)([a-zA-Z][\w:-]*)([\s\S]*?)(\/?)>$/.exec(tag);
  if (!m) return REMOVED;
  const [, closing, name, attrs = '', selfClosing] = m;
  const kept = [...attrs.matchAll(/([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g)].map(([, attr, value]) =>
    value === undefined ? attr : redactAttribute(attr!, value),
  );
  return `<${closing}${name}${kept.length ? ` ${kept.join(' ')}` : ''}${selfClosing}>`;
}

/** Tags and attribute names stay; every text, attribute value, script string and comment passes the allow-list. */
function redactHtml(html: string): string {
  const out: string[] = [];
  const markup = /<!--[\s\S]*?(?:-->|$)|<![^>]*>|<\/?[a-zA-Z][^>]*>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  // Open elements, and how many were open when one naming a status opened (-1: none is).
  let depth = 0;
  let statusAt = -1;
  const pushText = (text: string) => out.push(text.trim() ? escapeText((statusAt >= 0 ? redactStatusText : redactValue)(decodeEntities(text))) : text);
  while ((m = markup.exec(html))) {
    pushText(html.slice(last, m.index));
    last = markup.lastIndex;
    const token = m[0];
    if (token.startsWith('<!--')) {
      out.push(`<!-- ${REMOVED} -->`);
      continue;
    }
    if (token.startsWith('<!')) {
      out.push(token.toLowerCase().startsWith('<!doctype') ? token : REMOVED);
      continue;
    }
    out.push(redactTag(token));
    const name = /^<([a-zA-Z][\w-]*)/.exec(token)?.[1]?.toLowerCase();
    if (token[1] === '/') {
      depth = Math.max(0, depth - 1);
      if (depth <= statusAt) statusAt = -1;
    } else if (name && !VOID_ELEMENTS.has(name) && !token.endsWith('/>')) {
      if (statusAt < 0 && /\b(?:class|id)\s*=\s*["']?[^"'>]*status/i.test(token)) statusAt = depth;
      depth += 1;
    }
    if ((name === 'script' || name === 'style') && !token.endsWith('/>')) {
      // Their content is code, not markup: up to the end tag, through the code rules.
      const end = html.toLowerCase().indexOf(`</${name}`, last);
      const stop = end < 0 ? html.length : end;
      out.push(redactCode(html.slice(last, stop)));
      last = stop;
      markup.lastIndex = stop;
    }
  }
  pushText(html.slice(last));
  return out.join('');
}

/**
 * A page sample (HTML, JSON, JSONP, or text) with every text the allow-list does not name
 * replaced by `[removed]`: markup, keys and the page's own codes stay, so a reader can still be
 * fixed from it.
 */
export function stripPersonalData(text: string): string {
  const start = text.trimStart();
  if (start.startsWith('<')) return redactHtml(text);
  if (/^(?:[{[]|[\w$.]+\s*\()/.test(start)) return redactCode(text);
  return redactValue(text);
}

/**
 * A reader's warning: its own words stay (they are the extension's, written in lowercase
 * English), and what it quotes from the page ("…"), names (URLs) or shows in figures passes the
 * allow-list; a quoted status text is treated as one.
 */
export function stripWarning(warning: string): string {
  const parts = warning.split(/("(?:[^"\\]|\\.)*"|https?:\/\/\S+)/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1 && part.startsWith('"')) return `"${((parts[i - 1] ?? '').endsWith('status text ') ? redactStatusText : redactValue)(unquote(part))}"`;
      if (i % 2 === 1) return stripUrl(part.replace(/[),.;]+$/, '')) + (/[),.;]+$/.exec(part)?.[0] ?? '');
      return part
        .split(SEPARATORS)
        .map((word, j) => (j % 2 === 1 || !word || /^[a-z][a-zA-Z0-9.'-]*$/.test(word) || keptToken(word) ? word : REMOVED))
        .join('');
    })
    .join('');
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
    return REMOVED;
  }
}

/** What the report says about the extension and browser: enough to reproduce, nothing personal. */
export interface ReportContext {
  extensionVersion: string;
  browser: string;
  locale: string;
}

/** What every report starts with. */
export function reportHeader(context: ReportContext): string {
  return ['Ali Order Sync page report', `Extension: ${context.extensionVersion}`, `Browser: ${context.browser}`, `Language: ${context.locale}`].join('\n');
}

/** The page problem as text for the clipboard, personal data removed. `sample` is the page's HTML or data, when kept. */
export function buildPageReport(problem: PageProblem, context: ReportContext, sample?: string): string {
  const lines = [
    reportHeader(context),
    `Page kind: ${problem.kind}`,
    `URL: ${stripUrl(problem.url)}`,
    `Seen at: ${problem.at}`,
    'Reader warnings:',
    ...(problem.warnings.length ? problem.warnings.map((w) => `- ${stripWarning(w)}`) : ['- (none)']),
  ];
  if (sample) {
    const clipped = sample.length > MAX_PAGE_SAMPLE_CHARS ? `${sample.slice(0, MAX_PAGE_SAMPLE_CHARS)}\n[… cut at ${MAX_PAGE_SAMPLE_CHARS} characters]` : sample;
    lines.push('Page sample (personal data removed):', stripPersonalData(clipped));
  }
  return lines.join('\n');
}

const UNREAD_LABEL: Record<UnreadEntry['what'], string> = { status_text: 'status text', status_code: 'status code', tracking_code: 'tracking code' };

/**
 * The texts and codes the readers could not read on pages they did recognise, newest first: what
 * a dictionary or a code table needs next. A status text is kept as the report keeps status texts
 * (short, no figures), quoted so a trailing space shows; codes and hosts pass the allow-list.
 */
export function buildUnreadReport(entries: readonly UnreadEntry[]): string {
  const newestFirst = [...entries].sort((a, b) => b.lastAt.localeCompare(a.lastAt));
  const lines = [`Texts and codes the readers did not know (${entries.length}):`];
  for (const e of newestFirst) {
    const value = e.what === 'status_text' ? JSON.stringify(redactStatusText(e.value)) : redactValue(e.value);
    const site = /^[a-z0-9.-]{1,253}$/.test(e.site) ? e.site : REMOVED;
    const read = e.status ? `, order read as ${e.status}${e.statusSource ? ` from its ${e.statusSource}` : ''}` : '';
    lines.push(`- ${UNREAD_LABEL[e.what]} ${value}: ${e.kind} on ${site}${read}; ${e.reads} read(s), first ${e.firstAt}, last ${e.lastAt}`, `  ${stripWarning(e.warning)}`);
  }
  return lines.join('\n');
}
