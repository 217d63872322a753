import type { PullCollection } from '@bazaar/shared';

/**
 * A pulled or conflicting document as a client of `protocol` reads it
 * (shared/src/protocol/version.ts). Older clients parse strictly, so each
 * field added since their version is left out:
 * - protocol 1 knows no `resolution.role`: they treat every decision as final, as they did;
 * - protocols 1 and 2 know no product `retired`: they keep offering a retired product, as they did.
 */
export function forProtocol<T>(collection: PullCollection, doc: T, protocol: number): T {
  if (collection === 'operations' && protocol < 2) {
    const resolution = (doc as { resolution?: { role?: unknown } }).resolution;
    if (!resolution || resolution.role === undefined) return doc;
    const { role: _role, ...older } = resolution;
    return { ...doc, resolution: older };
  }
  if (collection === 'products' && protocol < 3) {
    const { retired: _retired, ...older } = doc as { retired?: boolean };
    return older as T;
  }
  return doc;
}
