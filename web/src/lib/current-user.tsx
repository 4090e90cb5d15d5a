import { createContext, type ReactNode, useContext } from 'react';
import type { Me } from '../api/auth';

const CurrentUserContext = createContext<Me | null>(null);

/** Makes the signed-in user available below the authenticated layout. */
export function CurrentUserProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <CurrentUserContext.Provider value={me}>{children}</CurrentUserContext.Provider>;
}

/** The signed-in user; only valid inside the authenticated layout. */
export function useCurrentUser(): Me {
  const me = useContext(CurrentUserContext);
  if (!me) throw new Error('useCurrentUser outside the authenticated layout');
  return me;
}
