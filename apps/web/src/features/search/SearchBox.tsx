import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router';

/** The search box of the top bar: what was typed goes to the results page, which says what is wrong with it, if anything. */
export function SearchBox() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const current = location.pathname === '/search' ? (params.get('q') ?? '') : '';
  const [text, setText] = useState(current);
  // Back and forward between results keep the box in step with the page.
  useEffect(() => setText(current), [current]);
  return (
    <form
      role="search"
      className="topbar-search"
      aria-label={t('search.box')}
      onSubmit={(e) => {
        e.preventDefault();
        navigate(`/search?q=${encodeURIComponent(text.trim())}`);
      }}
    >
      <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('search.placeholder')} aria-label={t('search.box')} />
      <button type="submit">{t('search.go')}</button>
    </form>
  );
}
