import { createContext, useContext } from 'react';
import type { User } from './types';

export interface Session {
  user: User;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in user; only valid inside the authenticated part of the app. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession used outside a signed-in page');
  return session;
}
