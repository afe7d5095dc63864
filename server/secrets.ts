/**
 * Secrets at rest (store access tokens, client secrets, signing secrets of outgoing webhooks):
 * AES-256-GCM under a key from the server's configuration (SECRETS_KEY, 32 bytes as base64 or hex).
 * A sealed value is `v1.<iv>.<tag>.<ciphertext>` (base64url), so a key rotation can add a v2.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

const VERSION = 'v1';

/** The key in SECRETS_KEY: 32 bytes, written as 64 hex digits or as base64. */
export function parseSecretsKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('SECRETS_KEY must be 32 bytes, as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)');
  return key;
}

export function newSecretsKey(): string {
  return randomBytes(32).toString('base64');
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('an AES-256 key is 32 bytes');
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('not a sealed secret of this server');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      // A wrong key or a changed value fails the tag check here.
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** The box for SECRETS_KEY; undefined when it is not set (the routes that need it then refuse). */
export function secretBoxFromEnv(env = process.env): SecretBox | undefined {
  return env.SECRETS_KEY ? secretBox(parseSecretsKey(env.SECRETS_KEY)) : undefined;
}
