/**
 * The house rules of the extension's imports, checked on the source: shared words live in the
 * lowest layer that uses them, the zod-free rules stay zod-free, and nothing imports in a loop.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCES = ['lib', 'components', 'entrypoints'];

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module's imports of other modules of the tree (type imports too), as paths from the root. */
function importGraph(): Map<string, { local: string[]; packages: string[] }> {
  const graph = new Map<string, { local: string[]; packages: string[] }>();
  const all = new Set(SOURCES.flatMap(files));
  const resolveLocal = (from: string, spec: string): string | undefined => {
    const base = spec.startsWith('@/') ? join(ROOT, spec.slice(2)) : resolve(ROOT, dirname(from), spec);
    for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
      const path = relative(ROOT, candidate);
      if (all.has(path)) return path;
    }
    return undefined;
  };
  for (const file of all) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const specs = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
    const local: string[] = [];
    const packages: string[] = [];
    for (const spec of specs) {
      if (spec.startsWith('.') || spec.startsWith('@/')) {
        const target = resolveLocal(file, spec);
        if (target) local.push(target);
      } else packages.push(spec);
    }
    graph.set(file, { local, packages });
  }
  return graph;
}

const graph = importGraph();
const edges = [...graph].flatMap(([from, { local }]) => local.map((to) => [from, to] as const));

describe('the layers of the extension', () => {
  it('the cache never imports the sync, the presentation or the worker; lib/domain imports nothing outside itself', () => {
    const wrong = edges.filter(
      ([from, to]) =>
        (from.startsWith('lib/cache/') && /^lib\/(sync|presentation|background)\//.test(to)) ||
        (from.startsWith('lib/domain/') && !to.startsWith('lib/domain/')) ||
        (/^lib\/(domain|cache|sync)\//.test(from) && to.startsWith('lib/presentation/')),
    );
    expect(wrong).toEqual([]);
  });

  it('the zod-free rules of lib/domain import no schema module, however indirectly', () => {
    const usesZod = (file: string) => graph.get(file)!.packages.includes('zod');
    const reaches = (file: string, seen = new Set<string>()): string[] => {
      const out: string[] = [];
      for (const next of graph.get(file)!.local) {
        if (seen.has(next)) continue;
        seen.add(next);
        if (usesZod(next)) out.push(next);
        out.push(...reaches(next, seen));
      }
      return out;
    };
    const pure = [...graph.keys()].filter((f) => f.startsWith('lib/domain/') && !usesZod(f) && f !== 'lib/domain/tracking.ts');
    expect(pure.length).toBeGreaterThan(5);
    expect(pure.map((file) => ({ file, schemas: reaches(file) })).filter((f) => f.schemas.length > 0)).toEqual([]);
  });

  it('no module imports itself through others', () => {
    const cycles: string[][] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file)!.local) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
