import { useEffect, useState } from 'react';
import { map, throttleTime, type Observable } from 'rxjs';

/** The latest value of an observable (an RxDB query's `$`), re-subscribed when `deps` change. */
export function useObservable<T>(make: () => Observable<T>, initial: T, deps: readonly unknown[]): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const sub = make().subscribe(setValue);
    return () => sub.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return value;
}

/**
 * The documents of an RxDB query as plain objects, kept current. A first
 * sync writes thousands of documents in pages of hundreds: results are taken
 * at most every 150 ms (the first and last at once), not once per page.
 */
export function useQueryDocs<T>(make: () => Observable<{ toJSON(): unknown }[]>, deps: readonly unknown[]): T[] {
  return useObservable(
    () =>
      make().pipe(
        throttleTime(150, undefined, { leading: true, trailing: true }),
        map((docs) => docs.map((d) => d.toJSON() as T)),
      ),
    [] as T[],
    deps,
  );
}
