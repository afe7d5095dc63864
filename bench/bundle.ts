/**
 * Bundle sizes, gzipped, of the bench build in .output/chrome-mv3-bench: the popup (popup.html's
 * scripts, the chunks they import statically, its style sheets), each content script, the
 * background. For a content script over budget, esbuild's metafile of the same entrypoint says
 * which packages and modules weigh most.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { ROOT, round, underBudget, type Figure } from './lib';

const gz = (path: string): number => gzipSync(readFileSync(path), { level: 9 }).length;
const kb = (bytes: number): number => round(bytes / 1024, 1);

/** Files an HTML page loads up front, with the JS chunks they import statically (not dynamic import()). */
export function pageFiles(outDir: string, html: string): string[] {
  const source = readFileSync(join(outDir, html), 'utf8');
  const refs = [...source.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]+)"/g)].map((m) => m[1]!);
  const files = new Set<string>();
  const visit = (file: string): void => {
    const path = posix.normalize(file.replace(/^\//, ''));
    if (files.has(path) || !existsSync(join(outDir, path))) return;
    files.add(path);
    if (!path.endsWith('.js')) return;
    const code = readFileSync(join(outDir, path), 'utf8');
    // Minified ESM: `import{a as b}from"./ui-X.js"` or `import"./x.js"`.
    for (const m of code.matchAll(/(?:\bimport|\bfrom)\s*["']([^"']+\.js)["']/g)) {
      visit(posix.join(posix.dirname(path), m[1]!));
    }
  };
  for (const ref of refs) if (!/^[a-z]+:/.test(ref)) visit(ref);
  return [...files];
}

/** An entry bundled in memory as the extension's build resolves it, with its metafile. */
const bundleOf = (entry: string) =>
  ({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: 'browser',
    write: false,
    metafile: true,
    absWorkingDir: ROOT,
    alias: { '@': ROOT },
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: 'bench-weigh',
    // WXT's auto-imports (defineContentScript) are globals at build time; no need to resolve them here.
    logLevel: 'silent',
  }) satisfies BuildOptions;

/** Where a content script's bytes come from: minified bytes per package (node_modules) or lib folder. */
async function weighEntry(entry: string): Promise<{ minifiedKB: number; byPackage: Record<string, number>; heaviestModules: Record<string, number> }> {
  const result = await build({ ...bundleOf(entry), format: 'iife', target: 'chrome120', minify: true });
  const output = Object.entries(result.metafile.outputs).find(([name]) => name.endsWith('.js'))![1];
  const byPackage: Record<string, number> = {};
  const modules: [string, number][] = [];
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    const group = pkg ?? input.split('/').slice(0, 2).join('/');
    byPackage[group] = (byPackage[group] ?? 0) + bytesInOutput;
    modules.push([input, bytesInOutput]);
  }
  const sortDesc = (entries: [string, number][], n: number) =>
    Object.fromEntries(entries.sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, kb(v)]));
  // Sizes here are minified, before gzip: shares, not the budgeted figure.
  return { minifiedKB: kb(output.bytes), byPackage: sortDesc(Object.entries(byPackage), 10), heaviestModules: sortDesc(modules, 10) };
}

/** The zod schemas a module chain pulls in: which first-party files import 'zod' directly, reachable from entry. */
async function zodImporters(entry: string): Promise<string[]> {
  const result = await build(bundleOf(entry));
  return Object.entries(result.metafile.inputs)
    .filter(([path, input]) => !path.includes('node_modules') && input.imports.some((i) => i.original === 'zod'))
    .map(([path]) => path);
}

export async function measureBundles(outDir: string): Promise<Figure[]> {
  const figures: Figure[] = [];
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as {
    action?: { default_popup?: string };
    background?: { service_worker?: string };
    content_scripts?: { js?: string[]; css?: string[] }[];
  };

  const popupFiles = pageFiles(outDir, manifest.action?.default_popup ?? 'popup.html');
  const popupBytes = Object.fromEntries(popupFiles.map((f) => [f, kb(gz(join(outDir, f)))]));
  const popupTotal = kb(popupFiles.reduce((n, f) => n + gz(join(outDir, f)), 0));
  const popupDetails: Record<string, unknown> = { files: popupBytes };
  if (popupTotal > 40) {
    popupDetails.weight = await weighEntry('entrypoints/popup/main.tsx').catch((error: unknown) => ({ error: String(error) }));
    popupDetails.importsZod = await zodImporters('entrypoints/popup/main.tsx').catch((error: unknown) => [String(error)]);
  }
  figures.push(
    underBudget(
      { id: 'bundle.popup', figure: 'bundle: popup (JS+CSS it loads, gzipped)', value: popupTotal, unit: 'KB', details: popupDetails },
      40,
      '≤ 40 KB',
      true,
    ),
  );

  const scripts = [...new Set((manifest.content_scripts ?? []).flatMap((c) => [...(c.js ?? []), ...(c.css ?? [])]))];
  for (const script of scripts) {
    const name = script.replace(/^content-scripts\//, '').replace(/\.js$/, '');
    const value = kb(gz(join(outDir, script)));
    const details: Record<string, unknown> = { file: script, minifiedKB: kb(readFileSync(join(outDir, script)).length) };
    if (value > 10) {
      const entry = [`entrypoints/${name}.ts`, `entrypoints/${name}.content.ts`].find((path) => existsSync(join(ROOT, path)));
      if (entry) {
        details.weight = await weighEntry(entry).catch((error: unknown) => ({ error: String(error) }));
        details.importsZod = await zodImporters(entry).catch((error: unknown) => [String(error)]);
      }
    }
    figures.push(underBudget({ id: `bundle.content.${name}`, figure: `bundle: content script ${name} (gzipped)`, value, unit: 'KB', details }, 10, '≤ 10 KB', true));
  }

  const background = manifest.background?.service_worker ?? 'background.js';
  figures.push(
    underBudget(
      { id: 'bundle.background', figure: 'bundle: background (gzipped)', value: kb(gz(join(outDir, background))), unit: 'KB', details: { file: background } },
      80,
      '≤ 80 KB',
      true,
    ),
  );
  return figures;
}
