import type { PurchasePaid } from '@bazaar/shared';
import type { Language } from '../i18n/strings';

const en = {
  receiveGoods: 'Receive goods from a supplier',
  supplier: 'Supplier',
  invoice: 'Invoice number',
  findProduct: 'Add a product',
  addLine: (name: string) => `Add ${name} to the purchase`,
  noLines: 'Add the products on the invoice.',
  quantity: (name: string) => `Quantity of ${name}`,
  cost: (name: string) => `Cost of ${name}`,
  perPiece: 'Cost each, Rs',
  perCarton: 'Cost per carton, Rs',
  paid: 'Paid',
  paidFrom: { drawer: 'Cash from the drawer', owed: 'Owed to the supplier', elsewhere: 'Paid elsewhere (bank, owner)' } satisfies Record<PurchasePaid, string>,
  supplierNeeded: 'Owed to whom? Type the supplier.',
  fixLines: 'Each line needs a quantity above zero and a cost.',
  record: 'Record purchase',
  recorded: (total: string) => `Purchase of ${total} recorded. It syncs when the network allows.`,
  owedTitle: 'Owed to suppliers',
  owedNone: 'Nothing is owed to a supplier.',
  lastInvoice: (invoice: string) => `last invoice ${invoice}`,
  purchases: (n: number) => (n === 1 ? '1 purchase' : `${n} purchases`),
};

const ur: typeof en = {
  receiveGoods: 'سپلائر سے مال وصول کریں',
  supplier: 'سپلائر',
  invoice: 'بل نمبر',
  findProduct: 'چیز شامل کریں',
  addLine: (name: string) => `${name} خریداری میں شامل کریں`,
  noLines: 'بل پر موجود چیزیں شامل کریں۔',
  quantity: (name: string) => `${name} کی مقدار`,
  cost: (name: string) => `${name} کی لاگت`,
  perPiece: 'فی عدد لاگت، روپے',
  perCarton: 'فی کارٹن لاگت، روپے',
  paid: 'ادائیگی',
  paidFrom: { drawer: 'دراز سے نقد', owed: 'سپلائر کا ادھار', elsewhere: 'کہیں اور سے (بینک، مالک)' },
  supplierNeeded: 'کس کا ادھار؟ سپلائر کا نام لکھیں۔',
  fixLines: 'ہر سطر میں صفر سے زیادہ مقدار اور لاگت چاہیے۔',
  record: 'خریداری درج کریں',
  recorded: (total: string) => `${total} کی خریداری درج ہو گئی۔ نیٹ ورک ملنے پر بھیج دی جائے گی۔`,
  owedTitle: 'سپلائرز کا ادھار',
  owedNone: 'کسی سپلائر کا ادھار نہیں۔',
  lastInvoice: (invoice: string) => `آخری بل ${invoice}`,
  purchases: (n: number) => `${n} خریداریاں`,
};

export const receiveStrings: Record<Language, typeof en> = { en, ur };
