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
