import { describe, expect, it } from 'vitest';
import { en, formatters } from '../i18n/strings';
import { receiptText, whatsAppLink, type Receipt } from './receipt';

const receipt: Receipt = {
  operationId: '0b7c1234-0000-4000-8000-000000000000',
  kind: 'sale',
  storeName: 'Saddar Kiryana Store',
  at: '2026-11-24T10:15:00.000Z',
  lines: [
    { name: 'Basmati Rice 1 kg', quantity: 2, unitPrice: 320.5 },
    { name: 'Loose sugar', quantity: 1.25, unitPrice: 150 },
  ],
  payment: { method: 'credit', customer: { name: 'Aslam', phone: '0300-1234567' } },
};

describe('receipt', () => {
  it('lists every line with its amount, the exact total and who owes it', () => {
    // Intl puts a no-break space after "Rs".
    const text = receiptText(receipt, en, formatters('en')).replace(/\u00a0/g, ' ');
    expect(text).toContain('Saddar Kiryana Store — receipt');
    expect(text).toContain('2 × Basmati Rice 1 kg @ Rs 320.50 = Rs 641');
    expect(text).toContain('1.25 × Loose sugar @ Rs 150 = Rs 187.50');
    // 641 + 187.5, summed in paisa: never 828.4999.
    expect(text).toContain('Total: Rs 828.50');
    expect(text).toContain('On credit to Aslam');
    expect(text).toContain('#0b7c1234');
    expect(text).not.toContain('Udhaar now');
  });

  it('after a credit sale carries what the customer owes now', () => {
    const text = receiptText({ ...receipt, balanceAfter: 1328.5 }, en, formatters('en')).replace(/\u00a0/g, ' ');
    expect(text).toContain('On credit to Aslam\nUdhaar now: Rs 1,328.50');
  });

  it('shares to the customer’s number in international form when there is one', () => {
    expect(whatsAppLink('hi there', '0300-1234567')).toBe('https://wa.me/923001234567?text=hi%20there');
    expect(whatsAppLink('hi', 'not a number')).toBe('https://wa.me/?text=hi');
    expect(whatsAppLink('hi')).toBe('https://wa.me/?text=hi');
  });
});
