/**
 * The Open Platform's request signature (reference/aliexpress-open-platform.md, and the official
 * IopClient SDK): every parameter except `sign`, sorted by name in ASCII order, each written as
 * name then value with nothing between; a REST-path call (`/auth/token/create`) puts its path in
 * front; HMAC-SHA256 of that with the app secret, uppercase hex.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignedParameters = Readonly<Record<string, string>>;

/** The text that is signed: `apiPath` (REST calls only) + name1 value1 name2 value2 … */
export function signatureBase(parameters: SignedParameters, apiPath = ''): string {
  const names = Object.keys(parameters)
    .filter((name) => name !== 'sign')
    // ASCII order: compare code units, not the locale's collation.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return apiPath + names.map((name) => name + parameters[name]).join('');
}

export function sign(appSecret: string, parameters: SignedParameters, apiPath = ''): string {
  return createHmac('sha256', appSecret).update(signatureBase(parameters, apiPath), 'utf8').digest('hex').toUpperCase();
}

/** Whether `parameters.sign` is the signature of the others, compared in constant time. */
export function hasValidSignature(appSecret: string, parameters: SignedParameters, apiPath = ''): boolean {
  const given = Buffer.from(parameters.sign ?? '', 'utf8');
  const expected = Buffer.from(sign(appSecret, parameters, apiPath), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
