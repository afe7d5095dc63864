import { describe, expect, it } from 'vitest';
import { buildPageReport, REMOVED, stripPersonalData, stripUrl } from '../../../lib/presentation/page-report';

describe('stripPersonalData', () => {
  it('removes e-mail addresses and phone numbers, keeps order ids, dates and times', () => {
    const out = stripPersonalData('Mail ana@example.com, call +55 (11) 98765-4321 or 555 123 4567. Order 8214398062177351 on 2026-07-15 at 1752566400000.');
    expect(out).not.toMatch(/ana@|98765|555 123/);
    expect(out).toContain('8214398062177351');
    expect(out).toContain('2026-07-15');
    expect(out).toContain('1752566400000');
  });

  it('removes what follows a personal label, in the four languages', () => {
    for (const line of ['Name: Ana Souza', 'Nome: Ana Souza', 'Dirección: Calle 1', 'Téléphone : 06 12 34 56 78', 'Contact name: Ana']) {
      expect(stripPersonalData(line)).toMatch(new RegExp(`[:：]\\s*\\${REMOVED.slice(0, -1)}\\]$`));
    }
  });

  it('removes personal JSON values, also JSON escaped inside a string', () => {
    const json = '{"receiverName":"Ana Souza","mobileNo":11987654321,"orderId":"8214398062177351","statusText":"Awaiting delivery"}';
    expect(stripPersonalData(json)).toBe(`{"receiverName":"${REMOVED}","mobileNo":"${REMOVED}","orderId":"8214398062177351","statusText":"Awaiting delivery"}`);
    const escaped = '"{\\"buyerAddress\\":\\"Rua 1\\",\\"orderId\\":\\"8214398062177351\\"}"';
    expect(stripPersonalData(escaped)).toBe(`"{\\"buyerAddress\\":\\"${REMOVED}\\",\\"orderId\\":\\"8214398062177351\\"}"`);
  });

  it('removes the text of elements marked as personal, however nested, and form values; keeps the rest', () => {
    const html = '<div class="order-status">Shipped</div><div class="receiver-info"><p>Ana <b>Souza</b></p><span>Rua das Flores</span></div><p class="store-name">LIMA Store</p><input value="Ana">';
    const out = stripPersonalData(html);
    expect(out).not.toMatch(/Ana|Souza|Flores/);
    expect(out).toContain('Shipped');
    expect(out).toContain('LIMA Store');
    expect(out).toContain('<b>');
  });

  it('keeps script contents to the JSON rules', () => {
    expect(stripPersonalData('<div class="address"><script>var a = 1 < 2;</script>x</div><p>ok</p>')).toBe(
      `<div class="address"><script>var a = 1 < 2;</script>${REMOVED}</div><p>ok</p>`,
    );
  });
});

describe('page report', () => {
  it('keeps the order ids of a URL and drops every other query value', () => {
    expect(stripUrl('https://www.aliexpress.com/p/order/detail.html?orderId=8214398062177351&email=a%40b.c#x')).toBe(
      'https://www.aliexpress.com/p/order/detail.html?orderId=8214398062177351&email=%5Bremoved%5D',
    );
  });

  it('says what was seen, with the sample cleaned', () => {
    const report = buildPageReport(
      { kind: 'unknown', url: 'https://www.aliexpress.com/p/order/index.html', at: '2026-07-20T12:00:00Z', warnings: ['no cards for ana@example.com'] },
      { extensionVersion: '0.1.0', browser: 'Chrome', locale: 'pt-BR' },
      '<p>Phone: 11 98765 4321</p>',
    );
    expect(report).toContain('Page kind: unknown');
    expect(report).toContain(`- no cards for ${REMOVED}`);
    expect(report).toContain(`<p>Phone: ${REMOVED}</p>`);
  });
});
