/**
 * A tiny YAML emitter for JSON-shaped data: block mappings and sequences,
 * every string double-quoted (a JSON string is a valid YAML double-quoted
 * scalar). Quoting every string sidesteps YAML 1.1 surprises in kubectl's
 * parser, where a bare `off`, `yes` or `3600` would not stay a string.
 */
export function toYaml(value: unknown): string {
  return emit(JSON.parse(JSON.stringify(value)) as unknown, 0).join('\n') + '\n';
}

/** Keys kubectl's YAML 1.1 parser would read as booleans or null if left bare. */
const SPECIAL = /^(?:y|yes|n|no|true|false|on|off|null|~)$/i;
const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;

function key(k: string): string {
  return BARE_KEY.test(k) && !SPECIAL.test(k) ? k : JSON.stringify(k);
}

function scalar(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  throw new Error(`not JSON data: ${typeof v}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNonEmptyCollection(v: unknown): boolean {
  return (Array.isArray(v) && v.length > 0) || (isObject(v) && Object.keys(v).length > 0);
}

function emit(v: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    if (v.length === 0) return [`${pad}[]`];
    return v.flatMap((item) => {
      const inner = emit(item, indent + 2);
      inner[0] = `${pad}- ${inner[0]!.slice(indent + 2)}`;
      return inner;
    });
  }
  if (isObject(v)) {
    const entries = Object.entries(v);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([k, val]) => {
      if (isNonEmptyCollection(val)) return [`${pad}${key(k)}:`, ...emit(val, indent + 2)];
      const inline = Array.isArray(val) ? '[]' : isObject(val) ? '{}' : scalar(val);
      return [`${pad}${key(k)}: ${inline}`];
    });
  }
  return [`${pad}${scalar(v)}`];
}
