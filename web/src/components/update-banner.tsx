import { useEffect, useState } from 'react';
import { t } from '../i18n/strings';
import { onUpdateReady, type ApplyUpdate } from '../sw-register';

/** Shown when a new app shell waits: it takes over only when the user says so (registerType 'prompt'). */
export function UpdateBanner() {
  const [apply, setApply] = useState<ApplyUpdate | null>(null);
  useEffect(() => onUpdateReady((fn) => setApply(() => fn)), []);
  if (!apply) return null;
  return (
    <div className="update-banner" role="alert">
      <span>{t.updateReady}</span>
      <button type="button" onClick={apply}>
        {t.update}
      </button>
    </div>
  );
}
