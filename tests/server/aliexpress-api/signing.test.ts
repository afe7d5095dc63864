/**
 * The Open Platform's signature, checked against worked examples done by hand from the documented
 * algorithm: the parameters sorted by name in ASCII order, name and value written one after the
 * other, a REST path in front, HMAC-SHA256 with the app secret, uppercase hex. The expected
 * digests were computed outside this code base (Python's hmac module over the literal strings
 * written below), so a mistake shared by the signer and its check cannot pass.
 */
import { describe, expect, it } from 'vitest';
import { hasValidSignature, sign, signatureBase } from '../../../server/aliexpress-api/signing';

const SECRET = 'helloworld';

describe('Open Platform signing', () => {
  it('signs a TOP call through /sync: every parameter but sign, sorted, concatenated, HMAC-SHA256, uppercase', () => {
    const parameters = {
      timestamp: '1700000000000',
      method: 'aliexpress.trade.ds.order.get',
      app_key: '12345678',
      session: '50000token',
      sign_method: 'sha256',
      format: 'json',
      simplify: 'false',
      single_order_query: '{"order_id":"8123456789012345"}',
    };
    const byHand = [
      'app_key12345678',
      'formatjson',
      'methodaliexpress.trade.ds.order.get',
      'session50000token',
      'sign_methodsha256',
      'simplifyfalse',
      'single_order_query{"order_id":"8123456789012345"}',
      'timestamp1700000000000',
    ].join('');
    expect(signatureBase(parameters)).toBe(byHand);
    expect(sign(SECRET, parameters)).toBe('91F3F1250A06EA9E44F8B76C625E714D15F04F2157896AA119ACC5F58E03E7AD');
    // `sign` itself is never part of what is signed.
    expect(sign(SECRET, { ...parameters, sign: 'anything' })).toBe(sign(SECRET, parameters));
  });

  it('puts the path in front for a REST call (/auth/token/create)', () => {
    const parameters = { app_key: '12345678', code: '3_500102_JxZ05Ux3cnnSSUm6dCxYg6Q26', sign_method: 'sha256', timestamp: '1700000000000' };
    expect(signatureBase(parameters, '/auth/token/create')).toBe(
      ['/auth/token/create', 'app_key12345678', 'code3_500102_JxZ05Ux3cnnSSUm6dCxYg6Q26', 'sign_methodsha256', 'timestamp1700000000000'].join(''),
    );
    expect(sign(SECRET, parameters, '/auth/token/create')).toBe('93A8D9C3D85E1572F52F51BFEE17E8600C77C06EB96124AA84583645B0814387');
  });

  it('sorts in ASCII order (capitals, then underscore, then small letters), not in the locale\'s order', () => {
    const parameters = { ab: '3', a_b: '1', aB: '2' };
    expect(signatureBase(parameters)).toBe('aB2a_b1ab3');
    expect(sign('k', parameters)).toBe('326DD97F975956ED52BD5D2AAD16D05E749AB06C2C094E9EF554EFBF0D19E3AB');
  });

  it('accepts its own signature and refuses a changed parameter, a wrong secret or a missing sign', () => {
    const parameters = { app_key: '1', method: 'm', timestamp: '2' };
    const signed = { ...parameters, sign: sign(SECRET, parameters) };
    expect(hasValidSignature(SECRET, signed)).toBe(true);
    expect(hasValidSignature(SECRET, { ...signed, timestamp: '3' })).toBe(false);
    expect(hasValidSignature('another', signed)).toBe(false);
    expect(hasValidSignature(SECRET, parameters)).toBe(false);
    expect(hasValidSignature(SECRET, { ...signed, sign: signed.sign.toLowerCase() })).toBe(false);
  });
});
