/** The backend as it really runs: `npm run backend:token` then `npm run backend`, as processes. */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db';
import { DATABASES, dropSchema, uniqueSchema } from './helpers';

const ROOT = new URL('../../', import.meta.url).pathname;
const TSX = ['--import', 'tsx'];

describe.each(DATABASES)('the backend process on %s', (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aos-backend-'));
  const schema = uniqueSchema(import.meta.filename);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'info',
    ...(kind === 'postgres' ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: schema } : { DATABASE_URL: '', DATA_DIR: dataDir }),
  };

  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') {
      const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, schema });
      await dropSchema(db, schema);
      await db.close();
    }
  });

  it('creates a merchant from the command line, then serves it over HTTP with JSON logs, and stops on SIGTERM', async () => {
    const token = await promisify(execFile)(process.execPath, [...TSX, 'server/cli-token.ts', 'Process merchant', 'Europe/Lisbon'], { cwd: ROOT, env });
    expect(token.stdout).toMatch(/^aos_[\w-]{43}\n$/);

    const child = spawn(process.execPath, [...TSX, 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const logs: Record<string, unknown>[] = [];
      const lines = createInterface({ input: child.stdout });
      const listening = new Promise<number>((resolve, reject) => {
        lines.on('line', (line) => {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.message === 'listening') resolve(entry.port as number);
        });
        void exited.then((code) => reject(new Error(`backend exited with ${code}`)));
      });
      const port = await listening;
      const base = `http://127.0.0.1:${port}`;
      const auth = { authorization: `Bearer ${token.stdout.trim()}` };

      const created = await fetch(`${base}/v1/store-orders`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ storeOrderNumber: '#P-1', paid: true }),
      });
      expect(created.status).toBe(201);
      const quota = await (await fetch(`${base}/v1/quota`, { headers: auth })).json();
      expect(quota.quota).toMatchObject({ timezone: 'Europe/Lisbon', used: 0 });
      expect((await fetch(`${base}/v1/orders`)).status).toBe(401);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      await new Promise((r) => setTimeout(r, 50));
      expect(logs).toContainEqual(expect.objectContaining({ level: 'info', message: 'request', method: 'POST', path: '/v1/store-orders', status: 201 }));
      expect(logs.find((l) => l.message === 'listening')).toMatchObject({ database: kind });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    // Two real processes (the CLI, then the server) each start tsx and open the database: on a
    // loaded 2-core machine that alone can take longer than the default 20 s.
  }, 90_000);
});
