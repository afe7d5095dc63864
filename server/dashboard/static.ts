/**
 * Serving the built dashboard (dashboard/dist, made by `npm run build:dashboard`) at `/`. The files
 * are listed once at start, so no request path ever reaches the file system; every answer carries
 * a strict Content Security Policy: scripts, styles and connections from this origin only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

interface StaticFile {
  body: ArrayBuffer;
  type: string;
  /** Built assets carry a content hash in their name: cached for good. index.html never is. */
  immutable: boolean;
}

function listFiles(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, root) : [relative(root, path).split(sep).join('/')];
  });
}

/** The built dashboard's files by URL path, or undefined when it has not been built. */
export function loadDashboard(dir = DEFAULT_DASHBOARD_DIR): Map<string, StaticFile> | undefined {
  let names: string[];
  try {
    names = listFiles(dir);
  } catch {
    return undefined;
  }
  if (!names.includes('index.html')) return undefined;
  const files = new Map<string, StaticFile>();
  for (const name of names) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const bytes = readFileSync(join(dir, name));
    const body = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    files.set(`/${name}`, { body, type, immutable: name.startsWith('assets/') });
  }
  return files;
}

/** The answer for a path of the dashboard: a file, index.html for `/`, or undefined. */
export function dashboardResponse(files: Map<string, StaticFile> | undefined, path: string): Response | undefined {
  if (!files) {
    if (path !== '/') return undefined;
    return new Response('The dashboard is not built: run `npm run build:dashboard`, then reload.\n', {
      status: 503,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
    });
  }
  const file = files.get(path === '/' ? '/index.html' : path);
  if (!file) return undefined;
  return new Response(file.body, {
    headers: {
      'content-type': file.type,
      'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    },
  });
}
