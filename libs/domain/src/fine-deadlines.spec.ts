import { describe, expect, it } from 'vitest';
import { amountDue, discountDeadline, earnsDiscount, limitationDeadline, paymentDeadline } from './fine-deadlines.js';

const at = (iso: string) => Date.parse(iso);

describe('fine deadlines', () => {
  it('gives 7 days for the discount and 30 for the full amount after the notice', () => {
    const notice = at('2026-03-01T10:00:00Z');
    expect(new Date(discountDeadline(notice)).toISOString()).toBe('2026-03-08T10:00:00.000Z');
    expect(new Date(paymentDeadline(notice)).toISOString()).toBe('2026-03-31T10:00:00.000Z');
  });

  it('counts the limitation period in calendar months', () => {
    expect(new Date(limitationDeadline(at('2025-12-31T06:00:00Z'))).toISOString()).toBe('2026-03-03T06:00:00.000Z');
    expect(new Date(limitationDeadline(at('2026-01-15T06:00:00Z'))).toISOString()).toBe('2026-03-15T06:00:00.000Z');
  });

  it('grants the discount to a payment from the notice to the end of its seventh day, and not without a notice', () => {
    const notice = at('2026-03-01T10:00:00Z');
    expect(earnsDiscount(notice, discountDeadline(notice))).toBe(true);
    expect(earnsDiscount(notice, discountDeadline(notice) + 1)).toBe(false);
    expect(earnsDiscount(notice, notice - 1)).toBe(false);
    expect(earnsDiscount(null, notice)).toBe(false);
  });

  it('makes half the fine due once that half was paid within the discount', () => {
    expect(amountDue(7384, 3692)).toBe(3692);
    expect(amountDue(7384, 3000)).toBe(7384);
    expect(amountDue(7384, 0)).toBe(7384);
  });
});
