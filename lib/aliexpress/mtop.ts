/**
 * The envelope every AliExpress "mtop" API answer shares, and the Ultron component tree that the
 * order pages ship their data in. Pure: strings and plain objects in, plain objects out.
 */

export interface MtopComponent {
  tag: string;
  id?: string;
  fields: Record<string, unknown>;
}

export type MtopOutcome = 'success' | 'login' | 'bot_check' | 'error';

/** Session gone (FAIL_SYS_TOKEN_EXOIRED is AliExpress's own spelling, kept beside the right one). */
const LOGIN_RET_CODES = ['FAIL_SYS_SESSION_EXPIRED', 'NEED_LOGIN', 'FAIL_SYS_SID_INVALID', 'FAIL_SYS_TOKEN_EXOIRED', 'FAIL_SYS_TOKEN_EXPIRED', 'FAIL_SYS_TOKEN_EMPTY'];
/** A bot check: the slider (its punish URL in `data.url`) or a request refused as not human. */
const BOT_CHECK_RET_CODES = ['FAIL_SYS_USER_VALIDATE', 'RGV587_ERROR', 'FAIL_SYS_ILLEGAL_REQUEST', 'ILLEGAL_ACCESS'];

/**
 * Parses an API body that may be plain JSON or JSONP (`mtopjsonp3({...})`).
 * Returns undefined when the text is neither.
 */
export function parseJsonOrJsonp(text: string): unknown {
  const trimmed = text.trim().replace(/^\uFEFF/, '');
  try {
    return JSON.parse(trimmed);
  } catch {
    const jsonp = /^[\w$.]+\s*\(([\s\S]*)\)\s*;?$/.exec(trimmed);
    if (!jsonp?.[1]) return undefined;
    try {
      return JSON.parse(jsonp[1]);
    } catch {
      return undefined;
    }
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `ret: ["SUCCESS::调用成功"]` into what it means for the merchant. */
function mtopOutcome(body: unknown): MtopOutcome {
  if (!isRecord(body) || !Array.isArray(body.ret)) return 'error';
  const codes = body.ret.filter((r): r is string => typeof r === 'string').map((r) => r.split('::')[0] ?? '');
  if (codes.some((c) => c === 'SUCCESS')) return 'success';
  if (codes.some((c) => LOGIN_RET_CODES.includes(c))) return 'login';
  if (codes.some((c) => BOT_CHECK_RET_CODES.includes(c))) return 'bot_check';
  return 'error';
}

/** The mtop `ret` text for warnings, e.g. "FAIL_SYS_SESSION_EXPIRED::Session expired". */
function mtopRetText(body: unknown): string {
  if (!isRecord(body) || !Array.isArray(body.ret)) return 'no ret field';
  return body.ret.filter((r) => typeof r === 'string').join(', ') || 'empty ret';
}

/**
 * The Ultron components of an mtop answer (`data.data`), in display order: key order in
 * `data.data` is not the display order, `data.hierarchy.structure` is. Accepts the whole mtop
 * body or its `data` member (the page's inline init data is the latter).
 */
export function ultronComponents(body: unknown): MtopComponent[] {
  const root = isRecord(body) && isRecord(body.data) && isRecord(body.data.data) ? body.data : body;
  if (!isRecord(root) || !isRecord(root.data)) return [];
  const byKey = root.data;
  const components = new Map<string, MtopComponent>();
  for (const [key, value] of Object.entries(byKey)) {
    if (!isRecord(value) || typeof value.tag !== 'string') continue;
    components.set(key, {
      tag: value.tag,
      id: typeof value.id === 'string' ? value.id : undefined,
      fields: isRecord(value.fields) ? value.fields : {},
    });
  }
  const ordered: MtopComponent[] = [];
  const seen = new Set<string>();
  const hierarchy = isRecord(root.hierarchy) ? root.hierarchy : undefined;
  const structure = hierarchy && isRecord(hierarchy.structure) ? hierarchy.structure : undefined;
  const visit = (key: string, depth: number): void => {
    if (seen.has(key) || depth > 50) return;
    seen.add(key);
    const component = components.get(key);
    if (component) ordered.push(component);
    const children = structure?.[key];
    if (Array.isArray(children)) for (const child of children) if (typeof child === 'string') visit(child, depth + 1);
  };
  if (hierarchy && typeof hierarchy.root === 'string') visit(hierarchy.root, 0);
  // Components the hierarchy does not reach still count, after the ordered ones.
  for (const key of components.keys()) visit(key, 0);
  return ordered;
}

/**
 * What a failed mtop answer means for the merchant, as a reading (login, bot check or an error
 * that says nothing of the orders); undefined for an answer that succeeded or carries no `ret`.
 */
export function mtopProblemReading(body: unknown): { kind: 'login' | 'bot_check' | 'unknown'; orders: never[]; warnings: string[] } | undefined {
  if (!isRecord(body) || !Array.isArray(body.ret)) return undefined;
  const outcome = mtopOutcome(body);
  if (outcome === 'login') return { kind: 'login', orders: [], warnings: [`AliExpress asks to log in (${mtopRetText(body)})`] };
  if (outcome === 'bot_check') return { kind: 'bot_check', orders: [], warnings: [`AliExpress asks to verify you are human (${mtopRetText(body)})`] };
  if (outcome === 'error') return { kind: 'unknown', orders: [], warnings: [`AliExpress answered an error (${mtopRetText(body)})`] };
  return undefined;
}

export function componentsByTag(components: MtopComponent[], tag: string): MtopComponent[] {
  return components.filter((c) => c.tag === tag);
}

export function stringField(fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
