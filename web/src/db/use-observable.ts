import { useEffect, useState } from 'react';
import { map, type Observable } from 'rxjs';

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

/** The documents of an RxDB query as plain objects, kept current. */
export function useQueryDocs<T>(make: () => Observable<{ toMutableJSON(): T }[]>, deps: readonly unknown[]): T[] {
  return useObservable(() => make().pipe(map((docs) => docs.map((d) => d.toMutableJSON()))), [] as T[], deps);
}
