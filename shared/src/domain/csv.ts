/**
 * Rows as CSV (RFC 4180) for a spreadsheet: every field quoted, quotes
 * doubled, CRLF between rows, and a byte order mark so Excel reads Urdu names
 * as UTF-8. A text field that starts like a formula (= + - @, or a tab or
 * carriage return) is prefixed with an apostrophe, so a product named
 * "=HYPERLINK(…)" stays text in the supplier's spreadsheet (CSV injection).
 * Numbers are written as they are.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const field = (value: string | number | null) => {
    if (value === null) return '';
    if (typeof value === 'number') return String(value);
    const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return `"${text.replace(/"/g, '""')}"`;
  };
  return `\uFEFF${[header, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}
