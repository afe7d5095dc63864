/**
 * The embedded database's directory: one process at a time, private to its owner, never
 * re-initialised over damaged data; and the process's start-up refusals (port in use, a second
 * server, a damaged directory) told in one line, without a stack trace.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirError, LOCK_FILE } from '../../server/data-dir';
import { openDatabase } from '../../server/db';

const ROOT = new URL('../../', import.meta.url).pathname;
const TSX = ['--import', 'tsx'];
const dirs: string[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'aos-data-dir-'));
  dirs.push(dir);
  return join(dir, 'pglite');
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A database initialised once (initdb on disk is slow on a loaded machine); each test works on a copy. */
let initialised: string;
beforeAll(async () => {
  initialised = newDir();
  await (await openDatabase({ dataDir: initialised })).close();
}, 120_000);
const copyOfDatabase = () => {
  const dataDir = newDir();
  cpSync(initialised, dataDir, { recursive: true });
  return dataDir;
};

const envFor = (dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  DATABASE_URL: '',
  DATA_DIR: dataDir,
  PORT: '0',
  LOG_LEVEL: 'info',
  ...extra,
});

/** Runs a script to its end: its exit code and what it wrote. */
function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...TSX, script, ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Starts the server; resolves with its port once it listens. */
async function startServer(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [...TSX, 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { message?: string; port?: number };
      if (entry.message === 'listening') resolve(entry.port!);
    });
    void exited.then((code) => reject(new Error(`the server exited with ${code}`)));
  });
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('the embedded database directory', () => {
  it('is created 0700 with its files 0600, and a second opening in the same process is refused', async () => {
    const dataDir = initialised;
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const db = await openDatabase({ dataDir });
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, 'PG_VERSION')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'base')).mode & 0o777).toBe(0o700);
      await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by this process/);
    } finally {
      await db.close();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    // Released on close: it opens again.
    await (await openDatabase({ dataDir })).close();
  }, 60_000);

  it('takes over the lock of a process that died', async () => {
    const dataDir = copyOfDatabase();
    writeFileSync(join(dataDir, LOCK_FILE), '999999999\n');
    await (await openDatabase({ dataDir })).close();
  }, 60_000);

  it('refuses a directory whose database lost a file, without initialising a new one over it', async () => {
    const dataDir = copyOfDatabase();
    rmSync(join(dataDir, 'PG_VERSION'));
    const before = readdirSync(dataDir).sort();
    const refused = openDatabase({ dataDir });
    await expect(refused).rejects.toBeInstanceOf(DataDirError);
    await expect(refused).rejects.toThrow(/damaged or incomplete.*Nothing was changed/);
    expect(readdirSync(dataDir).sort()).toEqual(before);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
  }, 60_000);

  it('refuses a directory whose control file is gone with a short message', async () => {
    const dataDir = copyOfDatabase();
    rmSync(join(dataDir, 'global', 'pg_control'));
    const error = await openDatabase({ dataDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirError);
    expect((error as Error).message).toMatch(/could not be opened .*damaged/);
    expect((error as Error).message.length).toBeLessThan(800);
  }, 60_000);
});

describe('the backend process', () => {
  it('refuses a second server and a token beside a running one, naming its PID and what to do', async () => {
    const dataDir = copyOfDatabase();
    const first = await startServer(envFor(dataDir));
    try {
      const second = await run('server/main.ts', [], envFor(dataDir));
      expect(second.code).toBe(1);
      const pid = readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim();
      expect(second.stderr).toContain(`backend: the data directory ${dataDir} is in use by process ${pid} `);
      expect(second.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      const token = await run('server/cli-token.ts', ['Beside'], envFor(dataDir));
      expect(token.code).toBe(1);
      expect(token.stdout).toBe('');
      expect(token.stderr).toContain(`in use by process ${pid}`);
      expect(token.stderr).toMatch(/stop the server, run `npm run --silent backend:token -- NAME`, then start the server again/);
      // The running server is unharmed.
      expect((await fetch(`http://127.0.0.1:${first.port}/healthz`)).status).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
    }
  }, 120_000);

  it('says a port is in use before it opens the database, without a stack trace', async () => {
    const dataDir = newDir();
    const taken: Server = createServer();
    const port = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)));
    try {
      const res = await run('server/main.ts', [], envFor(dataDir, { PORT: String(port) }));
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(`backend: port ${port} on 127.0.0.1 is already in use (another backend?): stop it, or set PORT to a free port\n`);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      taken.close();
    }
  }, 60_000);
});
