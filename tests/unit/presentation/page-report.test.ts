/**
 * The page report is an allow-list: structure, ids, codes and known status words stay, every
 * other text is replaced. The properties generate the personal data of real AliExpress pages in
 * the places the old deny-list missed, and the ids a reader needs, in the same places.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UnreadEntry } from '../../../lib/cache/db';
import { buildPageReport, buildUnreadReport, REMOVED, stripPersonalData, stripUrl, stripWarning } from '../../../lib/presentation/page-report';

const FIRST = ['Ana', 'José', 'Müller', 'Zoë', 'Łukasz', 'Nguyễn', 'Françoise', 'Ahmed', 'Ольга', '张伟', 'Søren', 'Chloé'];
const LAST = ['Souza', 'García', 'Dubois', 'Kowalski', 'Silva', 'Ferreira', 'Petrov', 'Oliveira', 'Martín'];
const STREETS = ['Rua das Flores', 'Calle Mayor', 'Rue de Rivoli', 'Avenida Paulista', 'Hauptstraße', 'Baker Street'];
const LABELS = ['Contact name', 'Nome do destinatário', 'Nombre completo', 'Nom du destinataire', 'Telefone', 'Teléfono', 'Téléphone', 'Endereço', 'Dirección', 'Adresse', 'E-mail', '联系人', 'Empfänger'];
const SPACES = [' ', '\u00a0', '\u202f', '-', '.', ''];

const casing = (word: string) => fc.constantFrom(word, word.toUpperCase(), word.toLowerCase());
const name = fc.tuple(fc.constantFrom(...FIRST).chain(casing), fc.constantFrom(...LAST).chain(casing)).map(([f, l]) => `${f} ${l}`);
const phone = fc
  .tuple(fc.constantFrom('+55', '+33', '+34', '+1', '+351', '0', ''), fc.array(fc.stringMatching(/^\d{2,5}$/), { minLength: 2, maxLength: 4 }), fc.constantFrom(...SPACES))
  .filter(([, groups]) => groups.join('').length >= 8 && groups.join('').length <= 12)
  .map(([cc, groups, sep]) => `${cc}${cc ? sep || ' ' : ''}${groups.join(sep)}`)
  // A date is not a phone number, nor is one number with one point: that is an amount, which the report keeps.
  .filter((text) => !/^\d{4}-\d{2}-\d{2}$/.test(text) && !/^\d+\.\d+$/.test(text));
const emailLocal = fc.constantFrom(...FIRST.slice(0, 8)).map((f) => f.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '') || 'ana');
const email = fc.tuple(emailLocal, fc.constantFrom('example.com', 'mail.example.org'), fc.constantFrom('@', '&#64;', '&#x40;')).map(([l, d, at]) => `${l}.souza${at}${d}`);
const address = fc.tuple(fc.constantFrom(...STREETS), fc.integer({ min: 1, max: 999 })).map(([street, n]) => `${street}, ${n}`);
const personal = fc.oneof(name, phone, email, address);

/** The words of a personal text that must not be in a report, and its phone digits. */
function traces(text: string): { words: string[]; digits?: string } {
  const decoded = text.replace(/&#(?:64|x40);/g, '@');
  const digits = decoded.replace(/\D/g, '');
  if (/^[+\d\s\u00a0\u202f.-]+$/.test(decoded)) return { words: [], digits: digits.slice(-7) };
  return { words: decoded.split(/[^\p{L}]+/u).filter((w) => w.length >= 3) };
}

function survives(out: string, text: string): boolean {
  const { words, digits } = traces(text);
  if (digits && out.replace(/[^\d]/g, ' ').replace(/(\d) (?=\d)/g, '$1').includes(digits)) return true;
  if (digits && out.replace(/[\s\u00a0\u202f().+-]/g, '').includes(digits)) return true;
  return words.some((word) => new RegExp(`(?<!\\p{L})${word}(?!\\p{L})`, 'iu').test(out));
}

const jsonText = (text: string) => JSON.stringify(text.replace(/&#(?:64|x40);/g, '@'));

/** The places the deny-list missed, each holding one personal text. */
const PLACES: readonly ((text: string, label: string) => string)[] = [
  // A label and its value in sibling elements, in any language.
  (t, label) => `<div class="info-row"><span class="info-label">${label}</span><span class="info-value">${t}</span></div>`,
  // Nested objects under a personal key, and under a harmless one.
  (t) => `{"data":{"receiver":{"detail":{"value":${jsonText(t)}}},"module":{"items":[{"text":${jsonText(t)}}]}}}`,
  // Unquoted keys in a script.
  (t) => `<script>window._init_data_ = { contact: { line: ${jsonText(t)} }, tip: '${t.replace(/'/g, "\\'")}' };</script>`,
  // data-* attributes, titles and form values.
  (t) => `<div class="order-item" data-buyer="${t}" data-tip='${t}' title="${t}"><input value="${t}"></div>`,
  // Plain text of an element, and JSON escaped into a string.
  (t) => `<p>${t}</p>`,
  (t) => JSON.stringify({ text: JSON.stringify({ receiverInfo: t.replace(/&#(?:64|x40);/g, '@') }) }),
];
const place = fc.integer({ min: 0, max: PLACES.length - 1 });

describe('the page report keeps no personal data', () => {
  it('no generated name, phone, e-mail or address survives, wherever the page put it', () => {
    fc.assert(
      fc.property(personal, place, fc.constantFrom(...LABELS), (text, where, label) => {
        const out = stripPersonalData(PLACES[where]!(text, label));
        expect(survives(out, text), out).toBe(false);
        expect(out).toContain(REMOVED);
      }),
      { numRuns: 600 },
    );
  });

  it('labels in other languages go too, not only their values', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LABELS), personal, (label, text) => {
        const out = stripPersonalData(`<li><b>${label}</b><i>${text}</i></li>`);
        expect(out.startsWith(`<li><b>${REMOVED}</b><i>${REMOVED}`), out).toBe(true);
        expect(survives(out, text), out).toBe(false);
      }),
    );
  });

  it('a warning keeps its own words and loses what it quotes from the page', () => {
    fc.assert(
      fc.property(personal, (text) => {
        const out = stripWarning(`order 8214398062177351: total "${text}" not read (currency unclear)`);
        expect(out.startsWith(`order 8214398062177351: total "${REMOVED}`), out).toBe(true);
        expect(out.endsWith('" not read (currency unclear)'), out).toBe(true);
        expect(survives(out, text), out).toBe(false);
      }),
    );
  });
});

const orderId = fc.oneof(fc.stringMatching(/^[38]\d{15}$/), fc.stringMatching(/^1\d{14}$/));
const trackingNumber = fc.stringMatching(/^[A-Z]{2}\d{9}[A-Z]{2}$/);
const code = fc.constantFrom('FAIL_SYS_SESSION_EXPIRED', 'CONFIRM_GOODS', 'WAIT_BUYER_ACCEPT_GOODS', 'FINISH', 'TRACKING', 'BRL', 'mtop.ae.ld.querydetail', '2026-07-15T10:00:00Z', '1752566400000');
const status = fc.constantFrom('Awaiting delivery', 'Completed', 'Awaiting payment', 'Aguardando pagamento', 'Concluído', 'Cancelado', 'shipped');
const kept = fc.oneof(orderId, trackingNumber, code, status);

describe('the page report keeps what a reader needs', () => {
  it('ids, tracking numbers, codes and known status words survive in every place', () => {
    fc.assert(
      fc.property(kept, place, personal, (token, where, text) => {
        const out = stripPersonalData(PLACES[where]!(token, text));
        expect(out).toContain(token);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps a status text it does not know, where the page shows a status: the report is for that text', () => {
    expect(stripPersonalData('<div class="order-item-header-status"><span>Em processamento</span></div><p>Em processamento</p>')).toBe(
      `<div class="order-item-header-status"><span>Em processamento</span></div><p>${REMOVED}</p>`,
    );
    expect(stripPersonalData('{"statusText":"Em processamento","note":"Em processamento","orderStatus":"+55 11 98765 4321"}')).toBe(
      `{"statusText":"Em processamento","note":"${REMOVED}","orderStatus":"${REMOVED}"}`,
    );
    expect(stripWarning('order 8214398062177351: unknown status code X and unknown status text "Em processamento"')).toBe(
      `order 8214398062177351: unknown status code ${REMOVED} and unknown status text "Em processamento"`,
    );
  });

  it('keeps the structure: tags, classes, keys, numbers that are not phone numbers', () => {
    const out = stripPersonalData('<div class="order-item" data-order-id="8214398062177351"><span class="order-item-header-status-text">Awaiting delivery</span><span class="price">R$ 31,93</span></div>');
    expect(out).toBe(`<div class="order-item" data-order-id="8214398062177351"><span class="order-item-header-status-text">Awaiting delivery</span><span class="price">${REMOVED} 31,93</span></div>`);
    expect(stripPersonalData('{"orderId":"8214398062177351","receiverName":"Ana","count":3,"mobile":5511987654321,"statusText":"Completed"}')).toBe(
      `{"orderId":"8214398062177351","receiverName":"${REMOVED}","count":3,"mobile":"${REMOVED}","statusText":"Completed"}`,
    );
  });
});

const entry = (e: Partial<UnreadEntry> & Pick<UnreadEntry, 'what' | 'value' | 'warning' | 'lastAt'>): UnreadEntry => ({ key: `${e.what} ${e.value}`, kind: 'order_list', site: 'es.aliexpress.com', firstAt: e.lastAt, reads: 1, ...e });

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
    expect(report).toContain(`<p>${REMOVED}</p>`);
  });

  it('lists the texts and codes ordinary reads could not read, newest first, the page\'s words kept as a status text is and the rest cleaned', () => {
    const report = buildUnreadReport([
      entry({ what: 'status_text', value: '[es] other ', status: 'unknown', warning: 'order 8211781299384136: unknown status text "[es] other"', lastAt: '2026-11-22T09:00:00.000Z', reads: 3 }),
      entry({ what: 'status_text', value: '[es] completed', status: 'completed', statusSource: 'buttons', warning: 'order 8212313961591322: unknown status text "[es] completed" (status completed from the buttons REPURCHASE+DELETE)', lastAt: '2026-11-22T09:10:00.000Z' }),
      entry({ what: 'tracking_code', value: 'AE_GTMS_NOT_A_SOURCED_CODE', kind: 'tracking', site: 'www.aliexpress.us', trackingNumber: 'UC0000000001BR', warning: 'package UC0000000001BR: unknown tracking code AE_GTMS_NOT_A_SOURCED_CODE (not read as a status)', lastAt: '2026-11-22T08:00:00.000Z' }),
      // A text that could be a person's phone number, in the text and in the warning that quotes it.
      entry({ what: 'status_text', value: 'Ligue +55 11 98765-4321', status: 'unknown', warning: 'order 8211781299384137: unknown status text "Ligue +55 11 98765-4321"', lastAt: '2026-11-22T07:00:00.000Z' }),
    ]);
    expect(report.split('\n')).toEqual([
      'Texts and codes the readers did not know (4):',
      '- status text "[es] completed": order_list on es.aliexpress.com, order read as completed from its buttons; 1 read(s), first 2026-11-22T09:10:00.000Z, last 2026-11-22T09:10:00.000Z',
      '  order 8212313961591322: unknown status text "[es] completed" (status completed from the buttons REPURCHASE+DELETE)',
      '- status text "[es] other ": order_list on es.aliexpress.com, order read as unknown; 3 read(s), first 2026-11-22T09:00:00.000Z, last 2026-11-22T09:00:00.000Z',
      '  order 8211781299384136: unknown status text "[es] other"',
      '- tracking code AE_GTMS_NOT_A_SOURCED_CODE: tracking on www.aliexpress.us; 1 read(s), first 2026-11-22T08:00:00.000Z, last 2026-11-22T08:00:00.000Z',
      '  package UC0000000001BR: unknown tracking code AE_GTMS_NOT_A_SOURCED_CODE (not read as a status)',
      `- status text "${REMOVED}": order_list on es.aliexpress.com, order read as unknown; 1 read(s), first 2026-11-22T07:00:00.000Z, last 2026-11-22T07:00:00.000Z`,
      `  order 8211781299384137: unknown status text "${REMOVED}"`,
    ]);
  });
});
