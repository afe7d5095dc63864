/** HTTPS served by the backend itself, with a certificate made for the test (openssl, self-signed for 127.0.0.1). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { tlsFromEnv } from '../../server/config';
import { openDatabase, type Database } from '../../server/db';
import { listen } from '../../server/listen';
import { silentLogger } from '../../server/log';

const dir = mkdtempSync(join(tmpdir(), 'aos-tls-'));
const certFile = join(dir, 'cert.pem');
const keyFile = join(dir, 'key.pem');

function get(url: string, ca: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('HTTPS with TLS_CERT_FILE and TLS_KEY_FILE', () => {
  let db: Database;
  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
    db = await openDatabase({});
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the API over HTTPS to a client that trusts the certificate', async () => {
    const tls = tlsFromEnv({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
    const { server, url } = await listen({ port: 0, host: '127.0.0.1', tls, fetch: createApp({ db, log: silentLogger }).fetch });
    try {
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const health = await get(`${url}/healthz`, readFileSync(certFile));
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toEqual({ ok: true, database: 'pglite' });
      expect((await get(`${url}/v1/quota`, readFileSync(certFile))).status).toBe(401);
      // A client that does not trust it is refused by TLS, not served in plain text.
      await expect(get(`${url}/healthz`, Buffer.from(''))).rejects.toThrow();
    } finally {
      server.close();
    }
  });

  it('refuses half a configuration and a file it cannot read, in a sentence', () => {
    expect(() => tlsFromEnv({ TLS_CERT_FILE: certFile })).toThrow('set both TLS_CERT_FILE and TLS_KEY_FILE');
    expect(() => tlsFromEnv({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: join(dir, 'missing.pem') })).toThrow(/TLS_KEY_FILE .*missing\.pem cannot be read \(ENOENT\)/);
  });
});
