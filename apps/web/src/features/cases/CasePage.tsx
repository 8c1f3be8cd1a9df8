import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ruleText } from '../../i18n/vocabulary.js';
import { Link, useParams } from 'react-router';
import { caseEndpoints, type CaseDetail } from '@qadaga/contracts/api';
import { ApiError } from '../../api/client.js';
import { downloadWithToken, fileToBase64 } from '../../api/download.js';
import { mayActOnCases } from '../../auth/access.js';
import { useSession } from '../../auth/session.js';
import { DataState } from '../../components/DataState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { PeoplePicker } from '../../components/PeoplePicker.js';
import { Hash } from '../../components/Hash.js';
import { SubjectLinks } from '../../components/SubjectLinks.js';
import { useFormat } from '../../format/format.js';
import { BundleExport } from '../bundles/BundleExport.js';
import { CaseBundles } from './CaseBundles.js';
import { SEVERITY_KEYS } from '../flags/labels.js';
import { useAddAttachment, useAddNote, useApproveClose, useAssign, useCase, useCaseStatus, useRejectClose } from './cases-api.js';
import { CaseNoteList, CaseTimelineList } from './CaseRecordLists.js';
import { CaseDueDate } from './CaseDueDate.js';
import { CASE_STATUS_KEYS, OUTCOME_KEYS } from './labels.js';
import { CaseTasks } from './CaseTasks.js';
import { CloseRequestForm } from './CloseRequestForm.js';
import { PrintReportButton } from './PrintReportButton.js';

export function CasePage() {
  const { id = '' } = useParams();
  const found = useCase(id);
  return <DataState query={found}>{(c) => <CaseView detail={c} />}</DataState>;
}

export function CaseView({ detail }: { detail: CaseDetail }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const { user } = useSession();
  const writer = user !== null && mayActOnCases(user.roles);
  return (
    <article>
      <p>
        <Link to="/cases">← {t('cases.back')}</Link>
      </p>
      <h1>
        {detail.number} · {detail.title}
      </h1>
      <dl className="meta">
        <dt>{t('case.status')}</dt>
        <dd>
          {t(CASE_STATUS_KEYS[detail.status])}
          {detail.outcome !== null && <> · {t(OUTCOME_KEYS[detail.outcome])}</>}
        </dd>
        <dt>{t('case.assignee')}</dt>
        <dd>{detail.assignee?.displayName ?? t('cases.unassigned')}</dd>
        <dt>{t('case.dueAt')}</dt>
        <dd>
          {f.date(detail.dueAt)} {detail.overdue && <strong className="bad">{t('cases.overdue')}</strong>}
        </dd>
        <dt>{t('case.opened')}</dt>
        <dd>{f.dateTime(detail.createdAt)}</dd>
      </dl>
      {writer && detail.status !== 'closed' && <CaseDueDate detail={detail} />}
      <section aria-labelledby="case-flags">
        <h2 id="case-flags">{t('cases.flags', { count: detail.flags.length })}</h2>
        <ul>
          {detail.flags.map((flag) => (
            <li key={flag.id}>
              <span className={`badge sev-${flag.severity}`}>{t(SEVERITY_KEYS[flag.severity] ?? 'severity.low')}</span>{' '}
              <Link to={`/flags/${flag.id}`}>{ruleText(flag.scheme, flag.ruleId, t)}</Link> · <SubjectLinks kind={flag.subjectKind} id={flag.subjectId} />
              {flag.explanation !== undefined && <div className="muted">{flag.explanation[i18n.language] ?? flag.explanation['en']}</div>}
            </li>
          ))}
        </ul>
      </section>
      <CaseTasks detail={detail} />
      <div className="two-columns">
        <Notes detail={detail} writer={writer} />
        <Attachments detail={detail} writer={writer} />
      </div>
      {writer && detail.status !== 'closed' && (
        <div className="two-columns">
          <Assignment detail={detail} />
          <StatusChange detail={detail} />
        </div>
      )}
      {detail.status !== 'closed' && <Closing detail={detail} writer={writer} />}
      <BundleExport caseId={detail.id} />
      <CaseBundles caseId={detail.id} />
      <PrintReportButton caseId={detail.id} />
      <section aria-labelledby="case-timeline">
        <h2 id="case-timeline">{t('case.timeline')}</h2>
        <CaseTimelineList timeline={detail.timeline} />
      </section>
    </article>
  );
}

function Notes({ detail, writer }: { detail: CaseDetail; writer: boolean }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const add = useAddNote(detail.id);
  return (
    <section aria-labelledby="case-notes">
      <h2 id="case-notes">{t('case.notes')}</h2>
      <CaseNoteList notes={detail.notes} />
      {writer && (
        <form
          aria-label={t('case.addNote')}
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate({ text }, { onSuccess: () => setText('') });
          }}
        >
          <label className="block">
            {t('case.note')}
            <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} />
          </label>
          <button type="submit" disabled={add.isPending}>
            {t('case.addNote')}
          </button>
          <p className="muted">{t('case.appendOnly')}</p>
          <ErrorMessage error={add.error} fields={{ text: t('case.note') }} />
        </form>
      )}
    </section>
  );
}

function Attachments({ detail, writer }: { detail: CaseDetail; writer: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const add = useAddAttachment(detail.id);
  const [error, setError] = useState<unknown>(null);
  return (
    <section aria-labelledby="case-attachments">
      <h2 id="case-attachments">{t('case.attachments')}</h2>
      {detail.attachments.length === 0 ? (
        <p className="muted">{t('case.noAttachments')}</p>
      ) : (
        <table className="grid compact" aria-label={t('case.attachments')}>
          <thead>
            <tr>
              <th scope="col">{t('case.fileName')}</th>
              <th scope="col">{t('case.size')}</th>
              <th scope="col">SHA-256</th>
              <th scope="col">{t('case.added')}</th>
            </tr>
          </thead>
          <tbody>
            {detail.attachments.map((a) => (
              <tr key={a.id}>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => downloadWithToken(caseEndpoints.attachment, { id: detail.id, attachmentId: a.id }, a.name).catch(setError)}
                    aria-label={t('case.download', { name: a.name })}
                  >
                    {a.name}
                  </button>
                </td>
                <td className="num">{f.bytes(a.size)}</td>
                <td>
                  <Hash value={a.sha256} label="SHA-256" />
                </td>
                <td>{f.dateTime(a.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {writer && (
        <label>
          {t('case.attach')}
          <input
            type="file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file === undefined) return;
              setError(null);
              void fileToBase64(file).then((contentBase64) => add.mutate({ name: file.name, mediaType: file.type || 'application/octet-stream', contentBase64 }));
            }}
          />
        </label>
      )}
      {add.isPending && <p role="status">{t('case.uploading')}</p>}
      <ErrorMessage error={add.error ?? error} />
    </section>
  );
}

function Assignment({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const assign = useAssign(detail.id);
  const [assigneeId, setAssigneeId] = useState(detail.assigneeId ?? '');
  return (
    <form
      className="inline-form"
      aria-label={t('case.assign')}
      onSubmit={(e) => {
        e.preventDefault();
        assign.mutate({ assigneeId });
      }}
    >
      <h2>{t('case.assign')}</h2>
      <PeoplePicker label={t('case.assignee')} value={assigneeId} onChange={setAssigneeId} emptyLabel={t('common.choose')} />
      <button type="submit" disabled={assign.isPending || assigneeId === ''}>
        {t('case.assignSubmit')}
      </button>
      <ErrorMessage error={assign.error} fields={{ assigneeId: t('case.assignee') }} />
    </form>
  );
}

function StatusChange({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const change = useCaseStatus(detail.id);
  const [reason, setReason] = useState('');
  const next = detail.status === 'open' ? (['investigating', 'referred'] as const) : detail.status === 'investigating' ? (['referred'] as const) : [];
  if (next.length === 0) return <div />;
  return (
    <form className="inline-form" aria-label={t('case.changeStatus')} onSubmit={(e) => e.preventDefault()}>
      <h2>{t('case.changeStatus')}</h2>
      <label>
        {t('common.reason')}
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {next.map((s) => (
        <button key={s} type="button" disabled={change.isPending} onClick={() => change.mutate(reason.trim() === '' ? { status: s } : { status: s, reason })}>
          {t('case.moveTo', { status: t(CASE_STATUS_KEYS[s]) })}
        </button>
      ))}
      <ErrorMessage error={change.error} fields={{ reason: t('common.reason') }} />
    </form>
  );
}

/**
 * Closing takes two people: one asks with an outcome and a reason, another approves. The
 * server refuses the asker's own approval (409); that refusal is said in plain words.
 */
function Closing({ detail, writer }: { detail: CaseDetail; writer: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const approve = useApproveClose(detail.id);
  const reject = useRejectClose(detail.id);
  const [rejectReason, setRejectReason] = useState('');
  const { user } = useSession();
  const pending = detail.closeRequest;
  const askedByMe = pending !== null && user !== null && (pending.requestedBy === user.id || pending.requestedBy === `user:${user.id}`);
  const approveError = approve.error instanceof ApiError && approve.error.status === 409 && askedByMe ? new Error(t('case.fourEyes')) : approve.error;
  return (
    <section aria-labelledby="case-close">
      <h2 id="case-close">{t('case.close')}</h2>
      {pending === null ? (
        writer ? (
          <CloseRequestForm detail={detail} />
        ) : (
          <p className="muted">{t('case.noCloseRequest')}</p>
        )
      ) : (
        <div className="inline-form" role="region" aria-label={t('case.closeRequest')}>
          <p>
            {t('case.closeRequested', {
              name: pending.requestedByName ?? pending.requestedBy,
              outcome: t(OUTCOME_KEYS[pending.outcome]),
              date: f.dateTime(pending.at),
            })}{' '}
            <q>{pending.reason}</q>
          </p>
          {writer && (
            <>
              <button type="button" disabled={approve.isPending} onClick={() => approve.mutate()}>
                {t('case.approveClose')}
              </button>
              <label>
                {t('common.reason')}
                <input value={rejectReason} onChange={(e) => setRejectReason(e.target.value)} />
              </label>
              <button type="button" disabled={reject.isPending} onClick={() => reject.mutate({ reason: rejectReason })}>
                {t('case.rejectClose')}
              </button>
            </>
          )}
          <ErrorMessage error={approveError ?? reject.error} fields={{ reason: t('common.reason') }} />
        </div>
      )}
    </section>
  );
}
