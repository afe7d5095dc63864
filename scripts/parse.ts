/**
 * Prints the snapshot of a saved AliExpress page or API answer:
 *
 *   npm run --silent parse -- FILE [--url URL]
 *
 * Exit 0 with the snapshot JSON on stdout whatever the page kind; exit 1 with one line on stderr
 * when the file cannot be read or is neither HTML nor JSON/JSONP.
 */
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { parseFileText } from '../lib/aliexpress/parse-file';

function main(argv: string[]): number {
  let file: string | undefined;
  let url: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--url') url = argv[++i];
    else if (arg.startsWith('--url=')) url = arg.slice('--url='.length);
    else if (!file) file = arg;
  }
  if (!file) {
    process.stderr.write('usage: npm run --silent parse -- FILE [--url URL]\n');
    return 1;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    process.stderr.write(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`);
    return 1;
  }
  const result = parseFileText(text, file, url, new Date().toISOString(), (html) => parseHTML(html).document as unknown as Document);
  if (!result.ok) {
    process.stderr.write(`${result.error}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify(result.snapshot, null, 2)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
