/**
 * What a parsed JSON value may be before its schema looks at it: no deeper, wider or larger than
 * any request of the API needs, and only text the databases can store. Checked in one pass
 * without recursion, so a hostile body costs the server one walk and one short answer rather than
 * a schema error per element.
 */

export const JSON_LIMITS = {
  /** A sync's event text sits 9 levels down (body, snapshots, a snapshot, orders, …). */
  maxDepth: 16,
  /** As many as the largest array a schema allows (orders in a snapshot). */
  maxArrayItems: 1000,
  maxObjectKeys: 64,
  /** Objects and arrays in all: a 1,000-order sync with items and tracking has a few tens of thousands. */
  maxContainers: 100_000,
};

/** A lone UTF-16 surrogate: not text, and PostgreSQL refuses it in JSON. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text cannot be stored, or undefined when it can. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character, which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate, which is not text';
  return undefined;
}

interface Frame {
  value: unknown;
  key: string | number;
  parent: Frame | undefined;
  depth: number;
}

function pathOf(frame: Frame): (string | number)[] {
  const path: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) path.unshift(f.key);
  return path;
}

/** The first thing wrong with the shape of `value` and where, or undefined. */
export function jsonShapeProblem(value: unknown, limits = JSON_LIMITS): { path: (string | number)[]; problem: string } | undefined {
  const stack: Frame[] = [{ value, key: '', parent: undefined, depth: 0 }];
  let containers = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path: pathOf(frame), problem };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (++containers > limits.maxContainers) return { path: pathOf(frame), problem: `more than ${limits.maxContainers} objects and arrays in one body` };
    if (frame.depth >= limits.maxDepth) return { path: pathOf(frame), problem: `nested deeper than ${limits.maxDepth} levels` };
    if (Array.isArray(v)) {
      if (v.length > limits.maxArrayItems) return { path: pathOf(frame), problem: `more than ${limits.maxArrayItems} items` };
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: frame, depth: frame.depth + 1 });
    } else {
      const keys = Object.keys(v);
      if (keys.length > limits.maxObjectKeys) return { path: pathOf(frame), problem: `more than ${limits.maxObjectKeys} fields` };
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: (v as Record<string, unknown>)[keys[i]!], key: keys[i]!, parent: frame, depth: frame.depth + 1 });
    }
  }
  return undefined;
}
