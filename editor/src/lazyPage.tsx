import { lazy, useState, type ComponentType } from 'react';

/**
 * A page in its own chunk that renders without suspending once the chunk is loaded. `React.lazy`
 * alone suspends on its first render even when the module arrived long before (its promise settles
 * a microtask later), and React 19 holds a Suspense fallback for at least 300 ms before revealing
 * the content: a designer link opened ~300 ms late although its chunk had loaded beside the
 * session check. Whether the page renders directly or through `lazy` is decided once per mount, so
 * a page never remounts (and loses its state) when the chunk arrives while it is shown.
 */
export function lazyPage<M, P extends object>(load: () => Promise<M>, pick: (module: M) => ComponentType<P>) {
  let ready: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = (): Promise<ComponentType<P>> => {
    loading ??= load().then(
      (m) => (ready = pick(m)),
      (e: unknown) => {
        // A failed download (offline, a deploy in between) is tried again on the next visit.
        loading = null;
        throw e;
      },
    );
    return loading;
  };
  const Lazy = lazy(() => preload().then((component) => ({ default: component })));
  function Page(props: P) {
    const [Ready] = useState(() => ready);
    return Ready ? <Ready {...props} /> : <Lazy {...props} />;
  }
  return { Page, preload };
}
