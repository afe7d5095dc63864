/**
 * Secrets at rest (the AliExpress tokens, store access tokens and client secrets, signing secrets
 * of outgoing webhooks): AES-256-GCM under a key from the server's configuration (`SECRETS_KEY`,
 * 32 bytes as base64 or 64 hex digits). A sealed value is `v1.<iv>.<tag>.<ciphertext>`
 * (base64url); the version leaves room to rotate the format. `aad` binds a value to where it is
 * stored (e.g. the merchant's id), so a sealed token copied into another merchant's row does not
 * open there.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SecretBox {
  seal(plain: string, aad?: string): string;
  open(sealed: string, aad?: string): string;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const VERSION = 'v1';

/** The key in SECRETS_KEY: 32 bytes, written as 64 hex digits or as base64. */
export function parseSecretsKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) throw new Error('SECRETS_KEY must be 32 bytes, as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)');
  return key;
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new Error(`SECRETS_KEY must be ${KEY_BYTES} bytes (base64), not ${key.length}`);
  return {
    seal(plain, aad = '') {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, aad = '') {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed secret of this server');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      // A wrong key, another place (aad) or a changed value fails the tag check here.
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** The box for SECRETS_KEY; undefined when it is not set (the routes that need it then refuse). */
export function secretBoxFromEnv(env: NodeJS.ProcessEnv = process.env): SecretBox | undefined {
  const value = env.SECRETS_KEY?.trim();
  return value ? secretBox(parseSecretsKey(value)) : undefined;
}

/** A new key for SECRETS_KEY (the demo and the tests make one each run). */
export function newSecretsKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}
