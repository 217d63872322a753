import { useMemo } from 'react';
import type { CustomerDoc } from '@bazaar/shared';
import type { BazaarDatabase } from '../db/database';
import type { StoreView } from '../db/store-view';
import { useQueryDocs } from '../db/use-observable';
import { ledgerBook, type BookAccount } from './book';

/** The store's udhaar customers and what each owes, from the device: it works offline. */
export function useLedgerBook(db: BazaarDatabase, view: StoreView): BookAccount[] {
  const customers = useQueryDocs<CustomerDoc>(() => db.customers.find().$, [db]);
  return useMemo(() => ledgerBook(customers, view.operations), [customers, view.operations]);
}
