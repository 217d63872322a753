/** A LIKE pattern for text containing `q`, its `%`, `_` and `\` matched as themselves; null for no search. */
export const containing = (q: string | undefined): string | null => (q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null);
