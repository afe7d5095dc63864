/**
 * Prints the snapshot of saved AliExpress pages or API answers:
 *
 *   npm run --silent parse -- FILE... [--url URL] [--request FILE]
 *
 * stdout: the snapshot JSON (an array of them for several files). stderr: per file, each order's
 * status and the evidence that decided it (statusSource), its packages, and every warning.
 * `--request`: a file holding what the page sent with an API call (the order list's form body,
 * which names the list tab). Exit 0 whatever the page kind; exit 1 with one line on stderr when a
 * file cannot be read or is neither HTML nor JSON/JSONP.
 */
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import type { Snapshot } from '../lib/domain/snapshot';
import { describeSnapshot, parseFileText } from '../lib/aliexpress/parse-file';

function readText(file: string): string | { error: string } {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    return { error: `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
}

function main(argv: string[]): number {
  const files: string[] = [];
  let url: string | undefined;
  let requestFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--url') url = argv[++i];
    else if (arg.startsWith('--url=')) url = arg.slice('--url='.length);
    else if (arg === '--request') requestFile = argv[++i];
    else if (arg.startsWith('--request=')) requestFile = arg.slice('--request='.length);
    else files.push(arg);
  }
  if (files.length === 0) {
    process.stderr.write('usage: npm run --silent parse -- FILE... [--url URL] [--request FILE]\n');
    return 1;
  }
  let request: string | undefined;
  if (requestFile) {
    const text = readText(requestFile);
    if (typeof text !== 'string') {
      process.stderr.write(`${text.error}\n`);
      return 1;
    }
    request = text.trim();
  }
  const snapshots: Snapshot[] = [];
  for (const file of files) {
    const text = readText(file);
    if (typeof text !== 'string') {
      process.stderr.write(`${text.error}\n`);
      return 1;
    }
    const result = parseFileText(text, file, { url, capturedAt: new Date().toISOString(), parseHtml: (html) => parseHTML(html).document as unknown as Document, request });
    if (!result.ok) {
      process.stderr.write(`${result.error}\n`);
      return 1;
    }
    snapshots.push(result.snapshot);
    process.stderr.write(`${describeSnapshot(file, result.snapshot).join('\n')}\n`);
  }
  process.stdout.write(`${JSON.stringify(snapshots.length === 1 ? snapshots[0] : snapshots, null, 2)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
