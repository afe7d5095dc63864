import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DatabaseOptions } from './db';

/**
 * Where the backend keeps its data, from the environment: DATABASE_URL (in DATABASE_SCHEMA when
 * set, so several backends can share one server; DATABASE_POOL_SIZE connections at most), else
 * DATA_DIR, else ./.data/pglite.
 */
export function databaseOptionsFromEnv(env = process.env): DatabaseOptions {
  if (env.DATABASE_URL) {
    return {
      databaseUrl: env.DATABASE_URL,
      ...(env.DATABASE_SCHEMA && { schema: env.DATABASE_SCHEMA }),
      ...(env.DATABASE_POOL_SIZE && { poolSize: poolSizeFromEnv(env.DATABASE_POOL_SIZE) }),
    };
  }
  return { dataDir: resolve(env.DATA_DIR ?? '.data/pglite') };
}

export function portFromEnv(env = process.env, fallback = 8787): number {
  const port = env.PORT === undefined ? fallback : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  return port;
}

function poolSizeFromEnv(value: string): number {
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 1000) throw new Error(`DATABASE_POOL_SIZE must be a whole number from 1 to 1000, not "${value}"`);
  return size;
}

function readPem(name: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`${name} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
}

/** TLS_CERT_FILE and TLS_KEY_FILE (PEM), both or neither: with them the backend serves HTTPS itself. */
export function tlsFromEnv(env = process.env): { cert: Buffer; key: Buffer } | undefined {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = env;
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new Error('set both TLS_CERT_FILE and TLS_KEY_FILE (PEM files) to serve HTTPS, or neither');
  return { cert: readPem('TLS_CERT_FILE', certFile), key: readPem('TLS_KEY_FILE', keyFile) };
}

/**
 * The extension origins allowed to call the API from a browser (CORS): ALLOWED_ORIGINS, a comma
 * separated list of exact origins (`chrome-extension://<id>`); by default any Chrome or Firefox
 * extension, since the API token is what grants access and web pages are the ones to keep out.
 */
export function allowedOriginsFromEnv(env = process.env): string[] | undefined {
  const list = env.ALLOWED_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean);
  if (!list || list.length === 0) return undefined;
  for (const origin of list) {
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/i.test(origin)) throw new Error(`ALLOWED_ORIGINS: "${origin}" is not an origin (scheme://host, no path)`);
  }
  return list;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * PUBLIC_URL: where the internet reaches this backend (`https://orders.example.com`, a path prefix
 * allowed), which Shopify's webhook subscriptions are made to. https only, since Shopify delivers
 * over HTTPS; plain http only on this machine (the contract tests and the demo).
 */
export function publicUrlFromEnv(env = process.env): string | undefined {
  const value = env.PUBLIC_URL?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`PUBLIC_URL must be the backend's public URL (https://orders.example.com), not "${value}"`);
  }
  if (url.search || url.hash || url.username || url.password) throw new Error(`PUBLIC_URL must be a plain URL (no query, fragment or credentials), not "${value}"`);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new Error(`PUBLIC_URL must be an https URL (Shopify sends webhooks over HTTPS only; plain http only on 127.0.0.1), not "${value}"`);
  }
  return url.href.replace(/\/+$/, '');
}

/** ALLOW_PRIVATE_WEBHOOK_URLS=1: outgoing webhooks may go to private addresses and plain http (tests, the demo, local use). */
export function allowPrivateWebhookUrlsFromEnv(env = process.env): boolean {
  const value = env.ALLOW_PRIVATE_WEBHOOK_URLS?.trim().toLowerCase();
  if (!value || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new Error(`ALLOW_PRIVATE_WEBHOOK_URLS must be 1 or 0, not "${env.ALLOW_PRIVATE_WEBHOOK_URLS}"`);
}
