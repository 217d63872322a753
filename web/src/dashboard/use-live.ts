import { useEffect, useState } from 'react';
import { openEventStream } from '../sync/event-stream';

/**
 * A number that grows each time the server says figures of the user's
 * stores moved (`reports`, at most once a second) or the stream reconnects
 * (it may have missed some): reads that depend on it fetch again.
 */
export function useLive(): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const bump = () => setTick((n) => n + 1);
    const stream = openEventStream({ open: bump, reports: bump });
    const online = () => stream.ensureOpen();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      stream.close();
    };
  }, []);
  return tick;
}
