/**
 * The words on screen, in one place so an Urdu translation can follow.
 * Product names are shown in both languages already.
 */
export const en = {
  appName: 'Bazaar Inventory',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  username: 'Username',
  password: 'Password',
  signInOffline: 'You are offline. Signing in needs the internet once; after that the app works offline.',
  chooseStore: 'Choose a store',
  store: (n: number) => `Store ${n}`,
  signOut: 'Sign out',
  online: 'Online',
  offline: 'Offline',
  pending: (n: number) => `${n} pending`,
  search: 'Search products',
  searchHint: 'Name, اردو نام, SKU or barcode',
  inStock: (q: string) => `${q} in stock`,
  add: (name: string) => `Add ${name}`,
  cart: 'Cart',
  cartEmpty: 'Tap a product to add it.',
  quantityOf: (name: string) => `Quantity of ${name}`,
  less: (name: string) => `One less ${name}`,
  more: (name: string) => `One more ${name}`,
  remove: (name: string) => `Remove ${name}`,
  total: 'Total',
  recordSale: 'Record sale',
  saleRecorded: (total: string) => `Sale of ${total} recorded.`,
  noMatches: 'No product matches.',
  loading: 'Loading…',
  updateReady: 'A new version of the app is ready.',
  update: 'Update',
} as const;

export const t = en;

const pkr = new Intl.NumberFormat('en-PK', { style: 'currency', currency: 'PKR', maximumFractionDigits: 2 });
export const formatPrice = (amount: number): string => pkr.format(amount);

const qty = new Intl.NumberFormat('en-PK', { maximumFractionDigits: 3 });
export const formatQuantity = (q: number): string => qty.format(q);
