import type { ProductDoc } from '@bazaar/shared';

/** A product's names in both languages, each in its own direction whatever the page's; the SKU when asked. */
export function ProductNames({ product, sku = false }: { product: ProductDoc; sku?: boolean }) {
  return (
    <span className="product-names">
      <span className="name-en" lang="en" dir="ltr">
        {product.nameEn}
      </span>
      <span className="name-ur" lang="ur" dir="rtl">
        {product.nameUr}
      </span>
      {sku && <span className="muted sku">{product.sku}</span>}
    </span>
  );
}
