import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '../api/auth';
import { ApiError } from '../api/client';
import { CurrentUserProvider } from '../lib/current-user';
import { ErrorState, Loading } from './states';

/** Renders children for a signed-in user; otherwise sends the browser to /login. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const location = useLocation();
  const { data: me, error, isPending, refetch } = useMe();

  if (isPending) return <Loading />;
  if (error instanceof ApiError && error.status === 401) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?from=${encodeURIComponent(from)}`} replace />;
  }
  if (error || !me) return <ErrorState error={error} onRetry={() => void refetch()} />;
  return <CurrentUserProvider me={me}>{children}</CurrentUserProvider>;
}
