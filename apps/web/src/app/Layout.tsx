import { NavLink, Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '@qadaga/contracts/api';
import { maySearch, pagesFor, type Page } from '../auth/access.js';
import { useSession } from '../auth/session.js';
import { PageErrorBoundary } from '../components/PageErrorBoundary.js';
import { SearchBox } from '../features/search/SearchBox.js';

const NAV_KEYS: Record<Page, string> = {
  flags: 'nav.flags',
  mine: 'myWork.nav',
  cases: 'nav.cases',
  profiles: 'nav.profiles',
  places: 'nav.places',
  rules: 'nav.rules',
  ledger: 'nav.ledger',
  bundles: 'nav.bundles',
};

const LANGUAGE_KEYS: Record<Locale, string> = { ru: 'language.ru', kk: 'language.kk', en: 'language.en' };

export function Layout() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const user = session.user;
  if (user === null) return null;
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Qadaga</span>
        <nav aria-label={t('nav.main')}>
          {pagesFor(user.roles).map((page) => (
            <NavLink key={page} to={`/${page}`}>
              {t(NAV_KEYS[page])}
            </NavLink>
          ))}
        </nav>
        <span className="spacer" />
        {maySearch(user.roles) && <SearchBox />}
        <label>
          {t('language.label')}{' '}
          <select value={i18n.language} onChange={(e) => void session.setLocale(e.target.value as Locale)}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {t(LANGUAGE_KEYS[l])}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" aria-label={t('nav.signedInAs')}>
          {user.displayName}
        </span>
        <button type="button" onClick={() => void session.signOut()}>
          {t('nav.signOut')}
        </button>
      </header>
      <main>
        <PageErrorBoundary key={location.pathname}>
          <Outlet />
        </PageErrorBoundary>
      </main>
    </div>
  );
}
