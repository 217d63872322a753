import { priceProblem, quantityProblem } from '@bazaar/shared';

/**
 * Reading what a person typed into a quantity or money box. The box keeps
 * the text exactly as typed; only a text that reads as a number becomes one,
 * so a lone "-" or "0." never turns into 0 behind the user's back. Urdu and
 * Arabic keyboards' digits (۱۲٫۵) read as 12.5.
 */
export type QuantityProblem = 'not_a_number' | 'invalid_quantity' | 'out_of_range';
export type PriceProblem = 'not_a_number' | 'invalid_price' | 'out_of_range';

const localDigits = /[\u0660-\u0669\u06f0-\u06f9]/g;

export function readNumber(text: string): number | null {
  const plain = text
    .trim()
    .replace(localDigits, (d) => String((d.codePointAt(0)! - 0x0660) % 0x90))
    .replace(/[٫,]/, '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(plain)) return null;
  return Number(plain);
}

/** What is wrong with a typed quantity, by the server's own rules (SPEC.md R10), or null. */
export function typedQuantityProblem(text: string, allow: { signed?: boolean; zero?: boolean } = {}): QuantityProblem | null {
  const value = readNumber(text);
  if (value === null) return 'not_a_number';
  return quantityProblem(value, allow) as QuantityProblem | null;
}

/** What is wrong with a typed unit price or cost, or null. */
export function typedPriceProblem(text: string): PriceProblem | null {
  const value = readNumber(text);
  if (value === null) return 'not_a_number';
  return priceProblem(value) as PriceProblem | null;
}
