/** What every figure group of the benchmark shares: the figure record, statistics, bundling for pages. */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export type Verdict = 'pass' | 'fail' | 'skipped' | 'info';

export interface Figure {
  /** Stable key in results.json. */
  id: string;
  figure: string;
  /** The number the budget applies to (undefined when skipped). */
  value?: number;
  unit: string;
  /** Printed value, with the detail a reader needs (ratio, runs). */
  shown: string;
  budget: string;
  verdict: Verdict;
  /** How it was measured, the raw runs, anything that explains the number. */
  details?: Record<string, unknown>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** A figure with a "lower is better" budget: value < max (or ≤ when inclusive). */
export function underBudget(
  base: Omit<Figure, 'verdict' | 'budget' | 'shown'> & { shown?: string },
  max: number,
  budget: string,
  inclusive = false,
): Figure {
  const value = base.value ?? Number.NaN;
  const ok = inclusive ? value <= max : value < max;
  return { ...base, shown: base.shown ?? `${round(value, 3)} ${base.unit}`, budget, verdict: ok ? 'pass' : 'fail' };
}

/** Bundles one module of the product for a browser page: its exports land on `globalThis[globalName]`. */
export async function bundleForPage(entry: string, globalName: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    globalName,
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    write: false,
    absWorkingDir: ROOT,
    alias: { '@': ROOT },
    logLevel: 'silent',
  });
  // Evaluated as a string by Playwright, a top-level `var` may stay local: publish it explicitly.
  // tsx compiles bench code with keepNames: functions passed to page.evaluate call `__name`.
  return `globalThis.__name ??= (fn) => fn;\n${result.outputFiles[0]!.text}\nglobalThis.${globalName} = ${globalName};`;
}

export const log = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

/** Runs fn, turning a crash into one failed figure per id, so one broken group does not hide the others. */
export async function guarded(ids: { id: string; figure: string; budget: string }[], fn: () => Promise<Figure[]>): Promise<Figure[]> {
  try {
    return await fn();
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`error: ${message}`);
    return ids.map(({ id, figure, budget }) => ({
      id,
      figure,
      unit: '',
      shown: `error: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
      budget,
      verdict: 'fail' as const,
      details: { error: message },
    }));
  }
}
