import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { SEARCH_QUERY_MAX, SEARCH_QUERY_MIN, searchEndpoints, type SearchResults } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';
import { NotAllowed } from '../../app/NotAllowed.js';
import { maySearch } from '../../auth/access.js';
import { useSession } from '../../auth/session.js';
import { DataState } from '../../components/DataState.js';
import { Plate } from '../../components/Plate.js';
import { useFormat } from '../../format/format.js';
import { districtText, officerRoleText, violationStatusText } from '../../i18n/vocabulary.js';
import { CASE_STATUS_KEYS } from '../cases/labels.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/** Why a query will not be sent, in the reader's language, or null when it may be. */
export function searchRefusal(q: string, t: TFunction): string | null {
  if (q.length === 0) return t('search.prompt');
  if (q.length < SEARCH_QUERY_MIN) return t('search.tooShort', { count: SEARCH_QUERY_MIN });
  if (q.length > SEARCH_QUERY_MAX) return t('search.tooLong', { count: SEARCH_QUERY_MAX });
  if (CONTROL.test(q)) return t('search.controlChars');
  return null;
}

const isEmpty = (r: SearchResults) => r.vehicles.length + r.officers.length + r.cameras.length + r.violations.length + r.cases.length === 0;

/** The results of the top bar's search, grouped by kind, each a link to its page. */
export function SearchPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const refused = searchRefusal(q, t);
  const results = useQuery({ queryKey: ['search', q], queryFn: () => call(searchEndpoints.search, { query: { q } }), enabled: refused === null });
  if (user === null || !maySearch(user.roles)) return <NotAllowed />;
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{refused === null ? t('search.resultsFor', { q }) : t('search.title')}</h1>
      {refused !== null ? (
        <p role="status" className="notice">
          {refused}
        </p>
      ) : (
        <DataState query={results} isEmpty={(r) => isEmpty(r) && r.withheldForRecusal === 0} empty={t('search.nothing', { q })}>
          {(r) => <SearchResultsView results={r} q={q} />}
        </DataState>
      )}
      <p className="muted">
        {t('search.hint')} {t('search.recorded')}
      </p>
    </section>
  );
}

function Group({ id, title, count, children }: { id: string; title: string; count: number; children: ReactNode }) {
  if (count === 0) return null;
  return (
    <section aria-labelledby={id} className="search-group">
      <h2 id={id}>
        {title} <span className="muted">({count})</span>
      </h2>
      <ul>{children}</ul>
    </section>
  );
}

/** The answer grouped by kind, each result a link to its page; what recusal withheld is counted, never shown. */
export function SearchResultsView({ results, q }: { results: SearchResults; q: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      {results.withheldForRecusal > 0 && (
        <p role="note" className="notice">
          {t('profile.withheld', { count: results.withheldForRecusal })}
        </p>
      )}
      {isEmpty(results) && <p className="muted">{t('search.nothing', { q })}</p>}
      <Group id="search-vehicles" title={t('search.vehicles')} count={results.vehicles.length}>
        {results.vehicles.map((v) => (
          <li key={v.plateKey}>
            <Link to={`/profiles/vehicle/${encodeURIComponent(v.plate)}`} aria-label={`${t('profile.vehicle')} ${v.plateKey}`}>
              <Plate value={v.plate} />
            </Link>{' '}
            <span className="muted">
              {v.kind === null ? t('profile.unregistered') : t('profile.registered')} · {t('search.violationCount', { count: v.violations })}
            </span>
          </li>
        ))}
      </Group>
      <Group id="search-officers" title={t('search.officers')} count={results.officers.length}>
        {results.officers.map((o) => (
          <li key={o.id}>
            <Link to={`/profiles/officer/${encodeURIComponent(o.id)}`} aria-label={`${t('profile.officer')} ${o.id}`}>
              {o.id}
            </Link>{' '}
            <span className="muted">
              {[o.unit === null ? null : t('search.unit', { unit: o.unit }), o.role === null ? null : officerRoleText(o.role, t), o.inRoster ? null : t('profile.notInRoster')]
                .filter((s) => s !== null)
                .join(' · ')}
            </span>
          </li>
        ))}
      </Group>
      <Group id="search-cameras" title={t('search.cameras')} count={results.cameras.length}>
        {results.cameras.map((c) => (
          <li key={c.id}>
            <Link to={`/profiles/camera/${encodeURIComponent(c.id)}`} aria-label={`${t('profile.camera')} ${c.id}`}>
              {c.id}
            </Link>{' '}
            <span className="muted">
              {[c.district === null ? null : t('search.districtOf', { district: districtText(c.district, t) }), c.inRegister ? null : t('search.notInRegister')]
                .filter((s) => s !== null)
                .join(' · ')}
            </span>
          </li>
        ))}
      </Group>
      <Group id="search-violations" title={t('search.violations')} count={results.violations.length}>
        {results.violations.map((v) => (
          <li key={v.ref}>
            <Link to={`/violations/${encodeURIComponent(v.ref)}`}>{v.ref}</Link>{' '}
            <span className="muted">
              {violationStatusText(v.status, t)}
              {v.plate === null ? '' : ` · ${v.plate}`}
              {v.detectedAt === null ? '' : ` · ${f.dateTime(v.detectedAt)}`}
            </span>
          </li>
        ))}
      </Group>
      <Group id="search-cases" title={t('search.cases')} count={results.cases.length}>
        {results.cases.map((c) => (
          <li key={c.id}>
            <Link to={`/cases/${c.id}`}>{c.number}</Link> {c.title} <span className="muted">· {t(CASE_STATUS_KEYS[c.status])}</span>
          </li>
        ))}
      </Group>
    </>
  );
}
