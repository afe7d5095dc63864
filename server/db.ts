/**
 * One small interface over the two databases the backend runs on: PGlite (embedded, the default,
 * in a data directory) and PostgreSQL (when DATABASE_URL is set). Same SQL, same migrations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { Pool, type PoolClient } from 'pg';
import { DataDirError, damagedDataDir, lockDataDir, prepareDataDir, restrictPermissions } from './data-dir';

/** Statement name by SQL text, for the statements `prepared` marks. */
const preparedNames = new Map<string, string>();

/**
 * Marks a hot-path statement (constant SQL text) to be kept prepared on each PostgreSQL connection:
 * parsed and planned once per connection rather than on every call, which was a third of the
 * database's time per sync. Keyed by text, so wrappers that pass text and parameters through keep
 * it. The embedded database has nothing to gain and runs it as usual.
 */
export function prepared(text: string): string {
  if (!preparedNames.has(text)) preparedNames.set(text, `aos_${preparedNames.size + 1}`);
  return text;
}

/** What node-postgres sends: a named statement for the texts marked by `prepared`. */
function pgQuery(text: string, values: unknown[] | undefined): { name?: string; text: string; values?: unknown[] } {
  const name = preparedNames.get(text);
  return name ? { name, text, values } : { text, values };
}

export interface Queryable {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

export interface Transaction extends Queryable {
  /**
   * Gives the transaction's last statement, run after everything fn awaited and just before the
   * commit; its rows are not read, and its failure fails the transaction. On PostgreSQL it goes out
   * with the commit, in one round trip. At most one per transaction.
   */
  beforeCommit(text: string, params?: unknown[]): void;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction; rolls back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded database is used. */
  databaseUrl?: string;
  /** Where the embedded database keeps its files; in memory when absent. */
  dataDir?: string;
  /** PostgreSQL schema to work in (tests give each suite its own). */
  schema?: string;
  /** PostgreSQL connections at most (default DEFAULT_POOL_SIZE). */
  poolSize?: number;
}

/** One statement kept for the end of a transaction (see Transaction.beforeCommit). */
function lastStatement(): { set(text: string, params?: unknown[]): void; get(): { text: string; params?: unknown[] } | undefined } {
  let last: { text: string; params?: unknown[] } | undefined;
  return {
    set(text, params) {
      if (last) throw new Error('a transaction has one last statement at most');
      last = { text, params };
    },
    get: () => last,
  };
}

/**
 * Enough for 20 merchants syncing at once to each hold a connection: with fewer, requests queue
 * for a connection behind whole sync transactions and the wait lands in the tail latency.
 */
export const DEFAULT_POOL_SIZE = 20;

/** In memory without a directory; in one, locked for this process and checked before PGlite may initialise it. */
async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (!dataDir) return pgliteDatabase(new PGlite());
  prepareDataDir(dataDir);
  const lock = lockDataDir(dataDir);
  let pglite: PGlite;
  try {
    pglite = new PGlite(dataDir);
    await pglite.waitReady;
    restrictPermissions(dataDir);
  } catch (error) {
    lock.release();
    throw error instanceof DataDirError ? error : damagedDataDir(dataDir, error);
  }
  const db = pgliteDatabase(pglite);
  return {
    ...db,
    async close() {
      try {
        await db.close();
        restrictPermissions(dataDir);
      } finally {
        lock.release();
      }
    },
  };
}

/** The interface over an open embedded database. */
export function pgliteDatabase(db: PGlite): Database {
  // PGlite runs one statement at a time; a queue keeps a transaction's statements together.
  return {
    kind: 'pglite',
    query: (text, params) => db.query(text, params) as never,
    transaction: (fn) =>
      db.transaction(async (tx) => {
        const last = lastStatement();
        const result = await fn({ query: (text, params) => tx.query(text, params) as never, beforeCommit: last.set });
        const final = last.get();
        if (final) await tx.query(final.text, final.params);
        return result;
      }),
    exec: async (sql) => {
      await db.exec(sql);
    },
    close: () => db.close(),
  };
}

async function openPostgres(databaseUrl: string, schema: string | undefined, poolSize = DEFAULT_POOL_SIZE): Promise<Database> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const pool = new Pool({
    connectionString: databaseUrl,
    max: poolSize,
    // A statement is sent without waiting for the answer to the one before, so a transaction's
    // `begin` travels with its first statement and its last statement with the `commit`. Each
    // statement keeps its own sync point: an error fails that statement and, inside a
    // transaction, the statements behind it, and the commit rolls back, as without pipelining.
    pipeline: true,
    ...(schema && { options: `-c search_path=${schema}` }),
  });
  if (schema) await createSchema(pool, schema);
  return {
    kind: 'postgres',
    query: (text, params) => pool.query(pgQuery(text, params)) as never,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        const last = lastStatement();
        let begun!: Promise<unknown>;
        // `begin` is not awaited alone: it is written with the statements fn sends before it first
        // waits, and its answer comes back with theirs.
        const result = await together(client, () => {
          begun = client.query('begin');
          begun.catch(() => undefined); // (fn may fail before it waits for it; the error is its own then)
          return fn({
            query: async (text, params) => (await Promise.all([begun, client.query(pgQuery(text, params))]))[1] as never,
            beforeCommit: last.set,
          });
        });
        const final = last.get();
        const sent = together(client, () => [begun, final && client.query(pgQuery(final.text, final.params)), client.query('commit')]);
        // A failed last statement makes the commit a rollback; its own error is the one to throw.
        for (const outcome of await Promise.allSettled(sent)) if (outcome.status === 'rejected') throw outcome.reason;
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/**
 * Runs fn with the connection's socket corked, so that the statements it sends (pipelined) leave
 * in one write rather than one each: a write costs the server more than the bytes it carries.
 */
function together<T>(client: PoolClient, fn: () => T): T {
  const socket = client.connection.stream;
  socket.cork();
  try {
    return fn();
  } finally {
    socket.uncork();
  }
}

/** Advisory lock key that serialises schema creation and migrations across backend processes. */
const MIGRATION_LOCK = 7240613;

/**
 * `create schema if not exists` is not safe against a concurrent twin (both see no schema, one
 * fails on the catalog's unique index), so processes starting together take turns.
 */
async function createSchema(pool: Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`create schema if not exists ${schema}`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const db = options.databaseUrl ? await openPostgres(options.databaseUrl, options.schema, options.poolSize) : await openPglite(options.dataDir);
  await migrate(db);
  return db;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Applies the versioned migrations in order, once each; safe with several processes starting at once. */
export async function migrate(db: Database): Promise<string[]> {
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  // Under the lock too: `if not exists` alone races with a twin process creating the same table.
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())');
  });
  const applied: string[] = [];
  for (const file of files) {
    const version = file.replace(/\.sql$/, '');
    await db.transaction(async (tx) => {
      // Serialises concurrent starts on PostgreSQL; harmless on the single-process embedded database.
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const done = await tx.query('select 1 from schema_migrations where version = $1', [version]);
      if (done.rows.length > 0) return;
      for (const statement of splitStatements(readFileSync(MIGRATIONS_DIR + file, 'utf8'))) await tx.query(statement);
      await tx.query('insert into schema_migrations (version) values ($1)', [version]);
      applied.push(version);
    });
  }
  return applied;
}

/** Migration files are plain statements separated by semicolons at line ends (no functions). */
function splitStatements(sql: string): string[] {
  return sql
    .replace(/--.*$/gm, '')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}
