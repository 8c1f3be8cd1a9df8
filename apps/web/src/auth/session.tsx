import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { authEndpoints, type Locale, type User } from '@qadaga/contracts/api';
import { onUnauthorised, setToken } from '../api/client.js';
import { call } from '../api/call.js';
import { changeLanguage } from '../i18n/i18n.js';

/**
 * The signed-in user. The token lives in memory and in sessionStorage, so a reload keeps
 * the session while closing the tab ends it; it is never written to localStorage.
 */
const STORAGE_KEY = 'qadaga.session';

interface Stored {
  token: string;
  user: User;
}

function readStored(): Stored | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as Stored;
    return typeof parsed.token === 'string' && typeof parsed.user === 'object' ? parsed : null;
  } catch {
    return null;
  }
}

export interface Session {
  user: User | null;
  signIn(username: string, password: string): Promise<User>;
  signOut(): Promise<void>;
  setLocale(locale: Locale): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [stored, setStored] = useState<Stored | null>(() => {
    const s = readStored();
    setToken(s?.token ?? null);
    return s;
  });

  const save = useCallback((next: Stored | null) => {
    setToken(next?.token ?? null);
    if (next === null) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setStored(next);
  }, []);

  useEffect(() => onUnauthorised(() => save(null)), [save]);
  useEffect(() => {
    if (stored !== null) void changeLanguage(stored.user.locale);
  }, [stored]);

  const session = useMemo<Session>(
    () => ({
      user: stored?.user ?? null,
      async signIn(username, password) {
        const result = await call(authEndpoints.login, { body: { username, password }, anonymous: true });
        save({ token: result.token, user: result.user });
        return result.user;
      },
      async signOut() {
        await call(authEndpoints.logout).catch(() => undefined);
        save(null);
      },
      async setLocale(locale) {
        const user = await call(authEndpoints.setLocale, { body: { locale } });
        if (stored !== null) save({ token: stored.token, user: { ...stored.user, ...user, locale } });
        await changeLanguage(locale);
      },
    }),
    [stored, save],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside SessionProvider');
  return session;
}
