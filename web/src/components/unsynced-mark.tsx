import type { StoreItem } from '../db/store-view';
import { useLanguage } from '../i18n/language';

/** On a row this device changed offline: the figure above includes changes the server has not confirmed yet. */
export function UnsyncedMark({ item }: { item: Pick<StoreItem, 'unsynced' | 'countWaits'> }) {
  const { t } = useLanguage();
  if (item.unsynced === 0) return null;
  return <span className="unsynced small">{item.countWaits ? t.countWaits : t.unsynced(item.unsynced)}</span>;
}
