import { Component, type ReactNode, Suspense } from 'react';
import { useLocation } from 'react-router';
import { PageLoading, RouteError } from './PageStates';

type State = { error: unknown; pathname: string };

class ErrorBoundary extends Component<{ pathname: string; children: ReactNode }, State> {
  override state: State = { error: undefined, pathname: this.props.pathname };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error };
  }

  // Another address gets another chance: the error belonged to the page that was left.
  static getDerivedStateFromProps(props: { pathname: string }, state: State): Partial<State> | null {
    return props.pathname === state.pathname ? null : { error: undefined, pathname: props.pathname };
  }

  override render() {
    return this.state.error === undefined ? this.props.children : <RouteError error={this.state.error} />;
  }
}

/**
 * Around every route's page: a spinner while its chunk downloads, and the "could not load" page with a
 * reload button when the download fails (a new deploy, a flaky network) or the page throws.
 */
export function RouteBoundary({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return (
    <ErrorBoundary pathname={pathname}>
      <Suspense fallback={<PageLoading />}>{children}</Suspense>
    </ErrorBoundary>
  );
}
