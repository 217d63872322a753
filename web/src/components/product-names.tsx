import type { ProductDoc } from '@bazaar/shared';

/** Urdu (and Arabic) digits as the app's own: amounts and stock are shown in 0-9, so a name's ۲۰۰ reads 200 beside them. */
export const latinDigits = (text: string) => text.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => String((d.charCodeAt(0) - 0x0660) % 0x90));

/** A product's names in both languages, each in its own direction whatever the page's; the SKU when asked. */
export function ProductNames({ product, sku = false }: { product: ProductDoc; sku?: boolean }) {
  return (
    <span className="product-names">
      <span className="name-en" lang="en" dir="ltr">
        {product.nameEn}
      </span>
      <span className="name-ur" lang="ur" dir="rtl">
        {latinDigits(product.nameUr)}
      </span>
      {sku && <span className="muted sku">{product.sku}</span>}
    </span>
  );
}
