/**
 * The sync protocol version. Bump it when a wire message changes in a way an
 * older client cannot read; the server answers 426 to clients older than
 * MIN_SUPPORTED_PROTOCOL_VERSION so an outdated app shell knows to update.
 */
export const PROTOCOL_VERSION = 1;
export const MIN_SUPPORTED_PROTOCOL_VERSION = 1;
export const PROTOCOL_HEADER = 'x-bazaar-protocol';
