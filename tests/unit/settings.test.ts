import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { API_TOKEN_MAX_LENGTH, checkBackend, settingsItem, updateSettings } from '../../lib/settings';

const saved = (backendUrl: string, apiToken: string) => ({ settings: { backendUrl, apiToken } });

describe('checkBackend (what the options page saves)', () => {
  it('takes an https URL or none, and a token, trimmed', () => {
    expect(checkBackend({ backendUrl: ' https://orders.example.com ', apiToken: ' tok ' })).toEqual(saved('https://orders.example.com', 'tok'));
    expect(checkBackend({ backendUrl: '  ', apiToken: '' })).toEqual(saved('', ''));
  });

  it('takes plain http only to this computer, where no network carries the token', () => {
    for (const url of ['http://127.0.0.1:8787', 'http://localhost:8787', 'http://127.0.0.2', 'http://[::1]:8787', 'http://api.localhost']) {
      expect(checkBackend({ backendUrl: url, apiToken: 't' }), url).toEqual(saved(url, 't'));
    }
    for (const url of ['http://orders.example.com', 'http://192.168.1.20:8787', 'http://127.0.0.1.example.com', 'http://localhost.example.com']) {
      expect(checkBackend({ backendUrl: url, apiToken: 't' }), url).toEqual({ problem: 'plain_http' });
    }
  });

  it('refuses other schemes, text that is no URL, and an overlong token', () => {
    for (const url of ['ftp://orders.example.com', 'javascript:alert(1)', 'orders.example.com']) {
      expect(checkBackend({ backendUrl: url, apiToken: 't' }), url).toEqual({ problem: 'not_http' });
    }
    expect(checkBackend({ backendUrl: 'https://orders.example.com', apiToken: 'x'.repeat(API_TOKEN_MAX_LENGTH + 1) })).toEqual({ problem: 'token_too_long' });
    expect(checkBackend({ backendUrl: 'https://orders.example.com', apiToken: 'x'.repeat(API_TOKEN_MAX_LENGTH) })).toHaveProperty('settings');
  });
});

describe('updateSettings (every settings change)', () => {
  it('keeps every change of a quick succession: each is applied to what the one before it wrote', async () => {
    fakeBrowser.reset();
    // As the options page's three controls changed in a row, none waiting for the one before.
    await Promise.all([updateSettings({ autoSync: false }), updateSettings({ notifications: false }), updateSettings({ pauseBetweenPagesMs: 7500 })]);
    expect(await settingsItem.getValue()).toMatchObject({ autoSync: false, notifications: false, pauseBetweenPagesMs: 7500 });
  });
});
