import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { evidenceEndpoints, type BundleListItem } from '@qadaga/contracts/api';
import { downloadWithToken } from '../../api/download.js';
import { DataState } from '../../components/DataState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Hash } from '../../components/Hash.js';
import { useFormat, type Formatters } from '../../format/format.js';
import { useBundleList } from './bundles-api.js';
import { subjectKindKey } from '../flags/labels.js';

const PAGE_SIZE = 50;

/**
 * The bundles built, newest first (one case's when caseId is given), each with its
 * download for as long as it is kept: an auditor finds a bundle again after leaving the
 * page. Bundles the reader is recused from are counted, not shown.
 */
export function BundleList({ caseId, labelledBy }: { caseId?: string; labelledBy: string }) {
  const { t } = useTranslation();
  const [offset, setOffset] = useState(0);
  const list = useBundleList({ ...(caseId === undefined ? {} : { case: caseId }), limit: PAGE_SIZE, offset });
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <DataState query={list} isEmpty={(d) => d.items.length === 0 && d.withheld === 0 && offset === 0} empty={t('bundles.list.empty')}>
        {(d) => (
          <>
            <table className="bundle-list" aria-labelledby={labelledBy}>
              <thead>
                <tr>
                  <th scope="col">{t('bundles.list.created')}</th>
                  {caseId === undefined && <th scope="col">{t('bundles.list.case')}</th>}
                  <th scope="col">{t('bundles.list.requestedBy')}</th>
                  <th scope="col">{t('bundles.list.reason')}</th>
                  <th scope="col">{t('bundles.list.status')}</th>
                  <th scope="col">{t('bundles.list.size')}</th>
                  <th scope="col">SHA-256</th>
                  <th scope="col">{t('bundles.list.file')}</th>
                </tr>
              </thead>
              <tbody>
                {d.items.map((b) => (
                  <BundleRow key={b.id} bundle={b} withCase={caseId === undefined} onError={setError} />
                ))}
              </tbody>
            </table>
            {d.withheld > 0 && <p className="notice">{t('bundles.list.withheld', { count: d.withheld })}</p>}
            {(offset > 0 || d.items.length + d.withheld === PAGE_SIZE) && (
              <nav className="pager" aria-label={t('common.pages')}>
                <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
                  {t('common.previous')}
                </button>
                <button type="button" disabled={d.items.length + d.withheld < PAGE_SIZE} onClick={() => setOffset(offset + PAGE_SIZE)}>
                  {t('common.next')}
                </button>
              </nav>
            )}
          </>
        )}
      </DataState>
      <ErrorMessage error={error} />
    </>
  );
}

/** A query bundle's subjects, rules and period in words: which bundle is which, at a glance. */
export function queryText(query: NonNullable<BundleListItem['query']>, t: TFunction, f: Formatters): string {
  const subjects = query.subjects.map((s) => `${t(subjectKindKey(s.kind))} ${s.id}`);
  const rules = query.ruleIds.length === 0 ? [] : [t('bundles.list.queryRules', { rules: query.ruleIds.join(', ') })];
  // The period's end is the start of the day after its last day.
  const period = t('bundles.list.queryPeriod', { from: f.date(query.from), to: f.date(new Date(Date.parse(query.to) - 1).toISOString()) });
  return [...subjects, ...rules, period].join('; ');
}

function BundleRow({ bundle: b, withCase, onError }: { bundle: BundleListItem; withCase: boolean; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const status =
    b.status === 'done' ? t('bundle.done') : b.status === 'failed' ? t('bundle.failed') : b.status === 'queued' ? t('bundles.list.queued') : t('bundle.progress', { progress: b.progress });
  return (
    <tr data-bundle={b.id}>
      <td>
        {f.dateTime(b.createdAt)}
        {b.finishedAt !== null && (
          <div className="muted">
            {t('bundles.list.finished')} {f.dateTime(b.finishedAt)}
          </div>
        )}
      </td>
      {withCase && (
        <td>
          {b.caseId === null ? t('bundles.list.query') : <Link to={`/cases/${b.caseId}`}>{b.caseNumber ?? b.caseId}</Link>}
          {b.query !== null && <div className="muted">{queryText(b.query, t, f)}</div>}
        </td>
      )}
      <td>{b.requestedByName ?? b.requestedBy}</td>
      <td>{b.reason}</td>
      <td>
        {status}
        {b.status === 'failed' && b.error !== null && <div className="bad">{b.error}</div>}
      </td>
      <td>{b.size === null ? '—' : f.bytes(b.size)}</td>
      <td>{b.sha256 === null ? '—' : <Hash value={b.sha256} label="SHA-256" />}</td>
      <td>
        {b.fileName}{' '}
        {b.status === 'done' && (
          <button type="button" onClick={() => downloadWithToken(evidenceEndpoints.download, { id: b.id }, b.fileName).catch(onError)}>
            {t('bundles.list.download')}
          </button>
        )}
      </td>
    </tr>
  );
}
