import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { FLAG_STATUSES, type FlagDetail, type FlagStatus } from '@qadaga/contracts/api';
import type { SchemeId } from '@qadaga/domain';
import { mayActOnCases } from '../../auth/access.js';
import { useSession } from '../../auth/session.js';
import { DataState } from '../../components/DataState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { SubjectLinks } from '../../components/SubjectLinks.js';
import { useFormat } from '../../format/format.js';
import { SCHEME_KEYS, districtText } from '../../i18n/vocabulary.js';
import { useCreateCase } from '../cases/cases-api.js';
import { useFlag, useSetFlagStatus } from './flags-api.js';
import { FLAG_STATUS_KEYS, SEVERITY_KEYS, subjectKindKey } from './labels.js';
import { EvidenceByViolation } from './EvidenceByViolation.js';
import { EvidenceChart } from './EvidenceChart.js';
import { FlagAssignment } from './FlagAssignment.js';
import { FlagComments } from './FlagComments.js';
import { FlagFacts } from './FlagFacts.js';
import { ViolationTimeline } from './ViolationTimeline.js';

const HISTORY_ACTION_KEYS: Readonly<Record<string, string>> = {
  raised: 'history.raised',
  status: 'history.status',
  labelled: 'history.labelled',
  commented: 'flagWork.history.commented',
  assigned: 'flagWork.history.assigned',
  due: 'flagWork.history.due',
};

function historyAction(action: string, t: TFunction): string {
  const key = HISTORY_ACTION_KEYS[action];
  return key === undefined ? action : t(key);
}

/** Who changed a flag: a rule ("rule:speed-downgrade@2") in words, a person by name when the history knows it. */
function historyActor(actor: string, actorName: string | null, t: TFunction): string {
  const rule = /^rule:([^@]+)@(\d+)$/u.exec(actor);
  return rule === null ? (actorName ?? actor) : t('history.rule', { rule: rule[1], version: rule[2] });
}

export function FlagDetailPage() {
  const { id = '' } = useParams();
  const flag = useFlag(id);
  return <DataState query={flag}>{(data) => <FlagDetailView flag={data} />}</DataState>;
}

/**
 * A flag as a prosecutor must be able to trust it in one look: what the rule found, in
 * words; the fact that fired it drawn against the rule's limit and every peer; the facts
 * the rule compared beside their limits; the steps behind it, by violation; and what
 * has been done about it.
 */
export function FlagDetailView({ flag }: { flag: FlagDetail }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const { user } = useSession();
  const explanation = flag.explanation[i18n.language] ?? flag.explanation['en'] ?? Object.values(flag.explanation)[0] ?? '';
  const scheme = SCHEME_KEYS[flag.scheme as SchemeId];
  return (
    <article className="flag-detail">
      <p>
        <Link to="/flags">← {t('flag.back')}</Link>
      </p>
      <h1>
        <span className={`badge sev-${flag.severity}`}>{t(SEVERITY_KEYS[flag.severity] ?? 'severity.low')}</span> {scheme === undefined ? flag.ruleId : t(scheme)}{' '}
        <span className="muted">
          {flag.ruleId} v{flag.ruleVersion}
        </span>
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
        <dd>{[flag.unit, flag.district === null ? null : districtText(flag.district, t)].filter((x) => x !== null).join(' · ') || '—'}</dd>
      </dl>
      {flag.display.length > 0 && (
        <section aria-labelledby="display-heading">
          <h2 id="display-heading">{t('display.title')}</h2>
          <div className="two-columns">
            {flag.display.map((entry) => (
              <EvidenceChart key={entry.fact} entry={entry} subjectId={flag.subjectId} />
            ))}
          </div>
        </section>
      )}
      {flag.subjectKind === 'violation' && <ViolationTimeline violationRef={flag.subjectId} />}
      <FlagAssignment flag={flag} writer={user !== null && mayActOnCases(user.roles)} />
      <FlagFacts flag={flag} />
      <EvidenceByViolation flag={flag} />
      {user !== null && mayActOnCases(user.roles) && (
        <div className="two-columns">
          <StatusForm id={flag.id} current={flag.status} />
          <NewCaseForm flagId={flag.id} />
        </div>
      )}
      <FlagComments flag={flag} writer={user !== null && mayActOnCases(user.roles)} />
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t('flag.history')}</h2>
        <ol className="timeline">
          {flag.history.map((h, i) => (
            <li key={`${h.at}-${i}`}>
              <time dateTime={h.at}>{f.dateTime(h.at)}</time> {historyActor(h.actor, h.actorName, t)}: {historyAction(h.action, t)}{' '}
              {[h.from, h.to].map((s) => (s === null ? '' : h.action === 'due' ? f.date(s) : FLAG_STATUS_KEYS[s as FlagStatus] === undefined ? s : t(FLAG_STATUS_KEYS[s as FlagStatus]))).join(' → ')}{' '}
              {h.reason !== null && <q>{h.reason}</q>}
            </li>
          ))}
        </ol>
      </section>
    </article>
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
