/**
 * The sync protocol version. Bump it when a wire message changes in a way an
 * older client cannot read; the server answers 426 to clients older than
 * MIN_SUPPORTED_PROTOCOL_VERSION so an outdated app shell knows to update.
 */
export const PROTOCOL_VERSION = 7;
export const MIN_SUPPORTED_PROTOCOL_VERSION = 1;

/*
 * 2: a pulled operation's `resolution` names the decider's `role`. Protocol 1
 * clients, which read documents strictly, are sent it without.
 * 3: a pulled product says whether it is `retired` (no longer sold, its
 * history kept). Older clients are sent products without it.
 * 4: the udhaar ledger: `customer` and `credit_payment` operations, a sale's
 * `payment.customerId` and a return's `customerId`, the `customers` pull.
 * Older clients are sent none of them: no operations of the new types, and
 * sales and returns without the customer's id.
 * 5: the day's close: `cash_close` operations. Older clients are sent none.
 * 6: lines sold or bought by the pack (`packSize`). Older clients are sent
 * such a line in base units: quantity × packSize at the pack's price ÷ packSize.
 * How a purchase was `paid`; `supplier` and `supplier_payment` operations.
 * Older clients are sent purchases without `paid`, and none of the new types.
 * 7: a pulled operation is the device's document as written, with the
 * server's verdict beside it in `outcome` (status, discrepancy, reason,
 * message, current, resolution, userId, receivedAt). Older clients are sent
 * the verdict merged into the operation, an adjustment's own reason as
 * `adjustmentReason`.
 */
export const PROTOCOL_HEADER = 'x-bazaar-protocol';
