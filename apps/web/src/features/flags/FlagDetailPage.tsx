import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { FLAG_STATUSES, type FlagEvidence as Evidence, type FlagDetail, type FlagStatus } from '@qadaga/contracts/api';
import { mayActOnCases } from '../../auth/access.js';
import { useSession } from '../../auth/session.js';
import { DataState } from '../../components/DataState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Hash } from '../../components/Hash.js';
import { SubjectLinks } from '../../components/SubjectLinks.js';
import { useFormat, type Formatters } from '../../format/format.js';
import { useCreateCase } from '../cases/cases-api.js';
import { useFlag, useSetFlagStatus } from './flags-api.js';
import { FLAG_STATUS_KEYS, SEVERITY_KEYS, subjectKindKey } from './labels.js';
import { PeerChart } from './PeerChart.js';
import { peerComparison } from './peer-comparison.js';

function factValue(value: unknown, f: Formatters): string {
  if (typeof value === 'number') return f.number(value, Math.abs(value) < 1 && value !== 0 ? 4 : 2);
  if (typeof value === 'boolean' || typeof value === 'string') return String(value);
  if (Array.isArray(value)) return value.length <= 5 ? value.join(', ') : `${value.slice(0, 5).join(', ')} … (${value.length})`;
  return JSON.stringify(value);
}

export function FlagDetailPage() {
  const { id = '' } = useParams();
  const flag = useFlag(id);
  return <DataState query={flag}>{(data) => <FlagDetailView flag={data} />}</DataState>;
}

export function FlagDetailView({ flag }: { flag: FlagDetail }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const { user } = useSession();
  const comparison = peerComparison(flag.facts, flag.baseline);
  const explanation = flag.explanation[i18n.language] ?? flag.explanation['en'] ?? Object.values(flag.explanation)[0] ?? '';
  const { parameters, ...facts } = flag.facts;
  return (
    <article className="flag-detail">
      <p>
        <Link to="/flags">← {t('flag.back')}</Link>
      </p>
      <h1>
        <span className={`badge sev-${flag.severity}`}>{t(SEVERITY_KEYS[flag.severity] ?? 'severity.low')}</span> {flag.ruleId}{' '}
        <span className="muted">v{flag.ruleVersion}</span>
      </h1>
      <p className="explanation" aria-label={t('flag.explanation')}>
        {explanation}
      </p>
      <dl className="meta">
        <dt>{t('flag.subject')}</dt>
        <dd>
          {t(subjectKindKey(flag.subjectKind))} <SubjectLinks kind={flag.subjectKind} id={flag.subjectId} />
        </dd>
        <dt>{t('flag.status')}</dt>
        <dd>
          {t(FLAG_STATUS_KEYS[flag.status] ?? 'flagStatus.new')}
          {flag.statusReason !== null && <span className="muted"> — {flag.statusReason}</span>}
        </dd>
        <dt>{t('flag.window')}</dt>
        <dd>
          {f.date(flag.windowFrom)} – {f.date(flag.windowTo)}
        </dd>
        <dt>{t('flag.scoreQ')}</dt>
        <dd>
          {f.number(flag.score, 2)} / {flag.qValue === null ? '—' : f.number(flag.qValue)}
        </dd>
        <dt>{t('flag.place')}</dt>
        <dd>{[flag.unit, flag.district].filter((x) => x !== null).join(' · ') || '—'}</dd>
      </dl>
      <div className="two-columns">
        <section aria-labelledby="peer-heading">
          <h2 id="peer-heading">{t('flag.peers')}</h2>
          {comparison === null ? <p className="muted">{t('flag.noBaseline')}</p> : <PeerChart comparison={comparison} subjectLabel={t('chart.subject')} />}
        </section>
        <section aria-labelledby="facts-heading">
          <h2 id="facts-heading">{t('flag.facts')}</h2>
          <table className="grid compact" aria-label={t('flag.facts')}>
            <tbody>
              {Object.entries(facts).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td className="num">{factValue(v, f)}</td>
                </tr>
              ))}
              {typeof parameters === 'object' &&
                parameters !== null &&
                Object.entries(parameters as Record<string, unknown>).map(([k, v]) => (
                  <tr key={`param.${k}`}>
                    <th scope="row">
                      {t('flag.parameter')} {k}
                    </th>
                    <td className="num">{factValue(v, f)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      </div>
      <EvidenceTable evidence={flag.evidence} />
      {user !== null && mayActOnCases(user.roles) && (
        <div className="two-columns">
          <StatusForm id={flag.id} current={flag.status} />
          <NewCaseForm flagId={flag.id} />
        </div>
      )}
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t('flag.history')}</h2>
        <ol className="timeline">
          {flag.history.map((h, i) => (
            <li key={`${h.at}-${i}`}>
              <time dateTime={h.at}>{f.dateTime(h.at)}</time> {h.actor}: {h.action} {h.from ?? ''} → {h.to ?? ''} {h.reason !== null && <q>{h.reason}</q>}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}

function EvidenceTable({ evidence }: { evidence: (Evidence & { violationRef?: string })[] }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">{t('flag.evidence', { count: evidence.length })}</h2>
      {evidence.length === 0 ? (
        <p className="muted">{t('flag.noEvidence')}</p>
      ) : (
        <table className="grid compact" aria-label={t('flag.evidenceTable')}>
          <thead>
            <tr>
              <th scope="col">{t('flag.source')}</th>
              <th scope="col">{t('flag.event')}</th>
              <th scope="col">{t('flag.contentHash')}</th>
              <th scope="col">{t('flag.chainHash')}</th>
            </tr>
          </thead>
          <tbody>
            {evidence.map((e) => (
              <tr key={`${e.source}|${e.eventId}`}>
                <td>{e.source}</td>
                <td>{e.violationRef === undefined ? <code>{e.eventId}</code> : <Link to={`/violations/${encodeURIComponent(e.violationRef)}`}>{e.violationRef}</Link>}</td>
                <td>
                  <Hash value={e.contentHash} label={t('flag.contentHash')} />
                </td>
                <td>
                  <Hash value={e.chainHash} label={t('flag.chainHash')} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function StatusForm({ id, current }: { id: string; current: FlagStatus }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<FlagStatus>(current === 'new' ? 'triaged' : current);
  const [reason, setReason] = useState('');
  const mutation = useSetFlagStatus(id);
  return (
    <form
      className="inline-form"
      aria-label={t('flag.changeStatus')}
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate({ status, reason }, { onSuccess: () => setReason('') });
      }}
    >
      <h2>{t('flag.changeStatus')}</h2>
      <label>
        {t('flag.newStatus')}
        <select value={status} onChange={(e) => setStatus(e.target.value as FlagStatus)}>
          {FLAG_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(FLAG_STATUS_KEYS[s])}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('common.reason')}
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="submit" disabled={mutation.isPending}>
        {t('flag.saveStatus')}
      </button>
      {mutation.isSuccess && <span role="status">{t('common.saved')}</span>}
      <ErrorMessage error={mutation.error} fields={{ status: t('flag.newStatus'), reason: t('common.reason') }} />
    </form>
  );
}

function NewCaseForm({ flagId }: { flagId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const create = useCreateCase();
  return (
    <form
      className="inline-form"
      aria-label={t('flag.openCase')}
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ title, flagIds: [flagId] }, { onSuccess: (c) => navigate(`/cases/${c.id}`) });
      }}
    >
      <h2>{t('flag.openCase')}</h2>
      <label>
        {t('case.titleField')}
        <input value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <button type="submit" disabled={create.isPending}>
        {t('flag.openCaseSubmit')}
      </button>
      <ErrorMessage error={create.error} fields={{ title: t('case.titleField') }} />
    </form>
  );
}
