import { useState } from 'react';
import { RefusedBeforeQueueing } from '../db/record';
import { useLanguage } from '../i18n/language';

/** Rupees as typed ("1,250.50"); what is not a number is refused as an amount, in the user's words. */
export function typedRupees(typed: string): number {
  const value = Number(typed.replace(/,/g, '').trim());
  if (typed.trim() === '' || !Number.isFinite(value)) throw new RefusedBeforeQueueing('invalid_amount');
  return value;
}

/** Runs a recording and says what happened, the refusal's reason in the user's language. */
export function useRecording() {
  const { t } = useLanguage();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<string>) => {
    setMessage(null);
    setError(null);
    try {
      setMessage(await work());
      return true;
    } catch (err) {
      setError(err instanceof RefusedBeforeQueueing ? t.refusedBeforeQueueing(t.reasons[err.reason]) : (err as Error).message);
      return false;
    }
  };
  const notes = (
    <>
      {message && <p className="ok" role="status">{message}</p>}
      {error && <p className="error" role="alert">{error}</p>}
    </>
  );
  return { run, notes };
}
