import { type ComponentType, use } from 'react';

/** A page whose code arrives on first use; `preload` starts the download before it is rendered. */
export type LazyPage = {
  preload: () => Promise<ComponentType>;
  /** The page's component once downloaded. */
  loaded: () => ComponentType | undefined;
};

/**
 * Like React.lazy, except that a page already downloaded renders at once, without suspending: main.tsx
 * preloads the first screen's page before the first render, so the pre-painted shell in index.html is
 * replaced by the page itself and never by a loading spinner.
 */
export function lazyPage(load: () => Promise<ComponentType>): LazyPage {
  let component: ComponentType | undefined;
  let pending: Promise<ComponentType> | undefined;
  const preload = () => {
    pending ??= load().then(
      (loaded) => {
        component = loaded;
        return loaded;
      },
      (error: unknown) => {
        // A failed download may succeed on the next visit to the page (flaky network): try again then.
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
  return { preload, loaded: () => component };
}

/** Renders a lazy page, suspending (to the route's boundary) only while its code downloads. */
export function LazyRoute({ page }: { page: LazyPage }) {
  const Component = page.loaded() ?? use(page.preload());
  return <Component />;
}
