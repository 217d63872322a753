import { describe, expect, it } from 'vitest';
import { addOne, readCart, step, togglePack, typed } from './cart';

const atta = 'a0000000-0000-4000-8000-000000000001';

describe('cart', () => {
  it('keeps what is typed: "-5" stays "-5" and is refused, never read as 0 or 5', () => {
    let cart = addOne([], atta, 120);
    cart = typed(cart, atta, '-');
    expect(cart[0]!.text).toBe('-');
    expect(readCart(cart)).toMatchObject({ valid: false, lines: [] });
    cart = typed(cart, atta, '-5');
    expect(readCart(cart).problems.get(atta)).toBe('invalid_quantity');
  });

  it('refuses what the server would refuse: 0.0001, 0, a barcode, text', () => {
    const problem = (text: string) => readCart(typed(addOne([], atta, 120), atta, text)).problems.get(atta);
    expect(problem('0.0001')).toBe('invalid_quantity');
    expect(problem('0')).toBe('invalid_quantity');
    expect(problem('8964000123456')).toBe('out_of_range');
    expect(problem('abc')).toBe('not_a_number');
    expect(problem('')).toBe('not_a_number');
    expect(problem('1.5')).toBeUndefined();
  });

  it('reads Urdu digits and a decimal comma', () => {
    expect(readCart(typed(addOne([], atta, 120), atta, '۳')).lines[0]!.quantity).toBe(3);
    expect(readCart(typed(addOne([], atta, 120), atta, '1,5')).lines[0]!.quantity).toBe(1.5);
  });

  it('steps from what the box reads; down to nothing removes the line', () => {
    let cart = addOne(addOne([], atta, 120), atta, 120);
    expect(cart[0]!.text).toBe('2');
    cart = step(typed(cart, atta, '0.25'), atta, +1);
    expect(cart[0]!.text).toBe('1.25');
    expect(step(typed(cart, atta, '1'), atta, -1)).toEqual([]);
  });

  it('by the carton the box counts cartons at the carton price, and back to pieces at the piece price', () => {
    let cart = typed(addOne([], atta, 95.5), atta, '2');
    cart = togglePack(cart, atta, 24);
    expect(readCart(cart).lines).toEqual([{ productId: atta, quantity: 2, unitPrice: 2292, packSize: 24 }]);
    cart = step(cart, atta, +1);
    expect(readCart(cart).lines[0]).toMatchObject({ quantity: 3, packSize: 24 });
    // 50,000 cartons of 24 are more pieces than a line may move, though 50,000 alone is not.
    expect(readCart(typed(cart, atta, '50000')).problems.get(atta)).toBe('out_of_range');
    cart = togglePack(cart, atta, 24);
    expect(readCart(cart).lines).toEqual([{ productId: atta, quantity: 3, unitPrice: 95.5 }]);
  });
});
