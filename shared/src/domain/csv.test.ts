import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes text, doubles quotes, keeps numbers and Urdu, ends rows with CRLF after a BOM', () => {
    const csv = toCsv(['SKU', 'Name', 'اردو', 'Qty'], [['RICE-5', 'Basmati "Super" 5kg, bag', 'باسمتی چاول', 12.5], ['X', null, '', 0]]);
    expect(csv).toBe('\uFEFF"SKU","Name","اردو","Qty"\r\n"RICE-5","Basmati ""Super"" 5kg, bag","باسمتی چاول",12.5\r\n"X",,"",0\r\n');
  });

  it('keeps a name that starts like a formula as text', () => {
    for (const name of ['=HYPERLINK("http://x")', '+92300', '-1', '@SUM(A1)', '\tcmd']) {
      expect(toCsv(['n'], [[name]]).split('\r\n')[1]).toBe(`"'${name.replace(/"/g, '""')}"`);
    }
    // A negative number is a number, not text to defuse.
    expect(toCsv(['n'], [[-3]]).split('\r\n')[1]).toBe('-3');
  });

  it('a line break inside a field stays inside its quotes', () => {
    expect(toCsv(['a', 'b'], [['one\ntwo', 'x']])).toContain('"one\ntwo","x"');
  });
});
