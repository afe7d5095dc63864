import { describe, expect, it } from 'vitest';
import { API_TOKEN_MAX_LENGTH, checkBackend } from '../../lib/settings';

describe('checkBackend (what the options page saves)', () => {
  it('takes an http(s) URL or none, and a token, trimmed', () => {
    expect(checkBackend({ backendUrl: ' https://orders.example.com ', apiToken: ' tok ' })).toEqual({ backendUrl: 'https://orders.example.com', apiToken: 'tok' });
    expect(checkBackend({ backendUrl: 'http://127.0.0.1:8787', apiToken: '' })).toEqual({ backendUrl: 'http://127.0.0.1:8787', apiToken: '' });
    expect(checkBackend({ backendUrl: '  ', apiToken: '' })).toEqual({ backendUrl: '', apiToken: '' });
  });

  it('refuses other schemes, text that is no URL, and an overlong token', () => {
    expect(checkBackend({ backendUrl: 'ftp://orders.example.com', apiToken: 't' })).toBeUndefined();
    expect(checkBackend({ backendUrl: 'javascript:alert(1)', apiToken: 't' })).toBeUndefined();
    expect(checkBackend({ backendUrl: 'orders.example.com', apiToken: 't' })).toBeUndefined();
    expect(checkBackend({ backendUrl: 'https://orders.example.com', apiToken: 'x'.repeat(API_TOKEN_MAX_LENGTH + 1) })).toBeUndefined();
    expect(checkBackend({ backendUrl: 'https://orders.example.com', apiToken: 'x'.repeat(API_TOKEN_MAX_LENGTH) })).toBeDefined();
  });
});
