/**
 * Secrets at rest (the AliExpress tokens, a store's access token): AES-256-GCM under a 32-byte key
 * from the server's configuration (`SECRETS_KEY`, base64). A sealed value is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url); the version leaves room to rotate the format.
 * `aad` binds a value to where it is stored (e.g. the merchant's id), so a sealed token copied
 * into another merchant's row does not open there.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SecretBox {
  seal(plain: string, aad: string): string;
  open(sealed: string, aad: string): string;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new Error(`SECRETS_KEY must be ${KEY_BYTES} bytes (base64), not ${key.length}`);
  return {
    seal(plain, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    open(sealed, aad) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined) throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** The key from `SECRETS_KEY` (base64 of 32 bytes); undefined when it is not set. */
export function secretBoxFromEnv(env: NodeJS.ProcessEnv = process.env): SecretBox | undefined {
  const value = env.SECRETS_KEY?.trim();
  if (!value) return undefined;
  return secretBox(Buffer.from(value, 'base64'));
}

/** A new key for SECRETS_KEY (the demo and the tests make one each run). */
export function newSecretsKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}
