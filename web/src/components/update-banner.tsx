import { useEffect, useState } from 'react';
import { useLanguage } from '../i18n/language';
import { onUpdateReady, type ApplyUpdate } from '../sw-register';

/**
 * Shown when a new app shell waits: it takes over only when the user says so
 * (registerType 'prompt'), and not while a cart is open: the reload would
 * throw the sale being rung up away.
 */
export function UpdateBanner({ blocked }: { blocked: boolean }) {
  const { t } = useLanguage();
  const [apply, setApply] = useState<ApplyUpdate | null>(null);
  useEffect(() => onUpdateReady((fn) => setApply(() => fn)), []);
  if (!apply) return null;
  return (
    <div className="update-banner" role="alert">
      <span>{t.updateReady}</span>
      <button type="button" onClick={apply} disabled={blocked}>
        {t.update}
      </button>
      {blocked && <span className="small">{t.updateAfterSale}</span>}
    </div>
  );
}
