import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { evidenceEndpoints, flagEndpoints, type CaseDetail, type Checkpoint, type FlagDetail } from '@qadaga/contracts/api';
import { ApiError } from '../../api/client.js';
import { call } from '../../api/call.js';
import { useSession } from '../../auth/session.js';
import { DataState } from '../../components/DataState.js';
import { useFormat } from '../../format/format.js';
import { EVENT_TYPE_KEYS, districtText, ruleText } from '../../i18n/vocabulary.js';
import { EvidenceChart } from '../flags/EvidenceChart.js';
import { FlagFacts } from '../flags/FlagFacts.js';
import { SEVERITY_KEYS, subjectKindKey } from '../flags/labels.js';
import { CaseNoteList, CaseTaskTable, CaseTimelineList } from './CaseRecordLists.js';
import { useCase } from './cases-api.js';
import { CASE_STATUS_KEYS, OUTCOME_KEYS } from './labels.js';
import './case-report.css';

/** One flag of the case as the report prints it: its detail, or why it could not be read. */
export interface ReportFlag {
  id: string;
  detail: FlagDetail | null;
  error: unknown;
}

export function CaseReportPage() {
  const { id = '' } = useParams();
  const found = useCase(id);
  return <DataState query={found}>{(c) => <CaseReportLoader detail={c} />}</DataState>;
}

/**
 * Reads what the report prints through the endpoints the pages use, each of which records
 * the read in the access log (the case as view_case, each flag as view_flag); the signed
 * checkpoint holds no personal data. No read here goes unrecorded.
 */
function CaseReportLoader({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [generatedAt] = useState(() => new Date().toISOString());
  const flags = useQueries({
    queries: detail.flagIds.map((flagId) => ({ queryKey: ['flag', flagId], queryFn: () => call(flagEndpoints.get, { params: { id: flagId } }) })),
  });
  const checkpoint = useQuery({
    queryKey: ['checkpoint', 'latest'],
    // Before the first checkpoint is signed the endpoint answers 404: the report says so.
    queryFn: () => call(evidenceEndpoints.latestCheckpoint).catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
  });
  if (flags.some((q) => q.isPending) || checkpoint.isPending) return <p role="status" className="muted">{t('caseReport.loading')}</p>;
  return (
    <CaseReportView
      detail={detail}
      flags={detail.flagIds.map((flagId, i) => ({ id: flagId, detail: flags[i]?.data ?? null, error: flags[i]?.error ?? null }))}
      checkpoint={checkpoint.data ?? null}
      printedBy={user?.displayName ?? ''}
      generatedAt={generatedAt}
    />
  );
}

/**
 * The case as a document to hand over: what it is, each flag with the facts the rule used,
 * its limits and chart, the events behind it with their ledger hashes, the tasks, notes,
 * attachments and timeline, and the latest signed checkpoint that ties the hashes to the
 * ledger. Printed, each flag starts a new page.
 */
export function CaseReportView({ detail, flags, checkpoint, printedBy, generatedAt }: { detail: CaseDetail; flags: ReportFlag[]; checkpoint: Checkpoint | null; printedBy: string; generatedAt: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <article className="case-report" aria-label={t('caseReport.title', { number: detail.number })}>
      <div className="report-actions no-print">
        <Link to={`/cases/${detail.id}`}>← {t('caseReport.back')}</Link>
        <button type="button" onClick={() => window.print()}>
          {t('caseReport.print')}
        </button>
      </div>
      <h1>{t('caseReport.title', { number: detail.number })}</h1>
      <p className="generated">{t('caseReport.generated', { date: f.dateTime(generatedAt), name: printedBy })}</p>

      <section aria-labelledby="report-about">
        <h2 id="report-about">{t('caseReport.about')}</h2>
        <dl className="meta">
          <dt>{t('case.titleField')}</dt>
          <dd>{detail.title}</dd>
          <dt>{t('case.status')}</dt>
          <dd>{t(CASE_STATUS_KEYS[detail.status])}</dd>
          <dt>{t('case.outcome')}</dt>
          <dd>{detail.outcome === null ? t('caseReport.outcomeNone') : t(OUTCOME_KEYS[detail.outcome])}</dd>
          <dt>{t('case.assignee')}</dt>
          <dd>{detail.assignee?.displayName ?? t('cases.unassigned')}</dd>
          <dt>{t('case.dueAt')}</dt>
          <dd>{f.date(detail.dueAt)}</dd>
          <dt>{t('case.opened')}</dt>
          <dd>{f.dateTime(detail.createdAt)}</dd>
        </dl>
      </section>

      <section aria-labelledby="report-flags">
        <h2 id="report-flags">{t('caseReport.flags')}</h2>
        {flags.map((flag, i) => (
          <ReportFlagSection key={flag.id} flag={flag} index={i + 1} count={flags.length} />
        ))}
      </section>

      <section className="report-section" aria-labelledby="report-tasks">
        <h2 id="report-tasks">{t('caseTasks.title')}</h2>
        <CaseTaskTable tasks={detail.tasks} />
      </section>

      <section aria-labelledby="report-notes">
        <h2 id="report-notes">{t('case.notes')}</h2>
        <CaseNoteList notes={detail.notes} />
      </section>

      <section aria-labelledby="report-attachments">
        <h2 id="report-attachments">{t('case.attachments')}</h2>
        {detail.attachments.length === 0 ? (
          <p className="muted">{t('case.noAttachments')}</p>
        ) : (
          <table className="grid compact" aria-label={t('case.attachments')}>
            <thead>
              <tr>
                <th scope="col">{t('case.fileName')}</th>
                <th scope="col">{t('case.size')}</th>
                <th scope="col">{t('case.added')}</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {detail.attachments.map((a) => (
                <tr key={a.id}>
                  <td>{a.name}</td>
                  <td className="num">{f.bytes(a.size)}</td>
                  <td>{f.dateTime(a.at)}</td>
                  <td>
                    <code className="hash-full">{a.sha256}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="report-timeline">
        <h2 id="report-timeline">{t('case.timeline')}</h2>
        <CaseTimelineList timeline={detail.timeline} />
      </section>

      <section aria-labelledby="report-ledger">
        <h2 id="report-ledger">{t('caseReport.ledger')}</h2>
        <h3>{t('caseReport.checkpoint')}</h3>
        {checkpoint === null ? (
          <p>{t('caseReport.noCheckpoint')}</p>
        ) : (
          <>
            <p>{t('caseReport.checkpointHelp')}</p>
            <dl className="meta">
              <dt>{t('caseReport.checkpointId')}</dt>
              <dd>{checkpoint.id}</dd>
              <dt>{t('ledger.signedAt')}</dt>
              <dd>{f.dateTime(checkpoint.at)}</dd>
              <dt>{t('ledger.key')}</dt>
              <dd>
                <code className="hash-full">{checkpoint.keyId}</code>
              </dd>
              <dt>{t('ledger.signature')}</dt>
              <dd>
                <code className="hash-full" aria-label={`${t('ledger.signature')} ${checkpoint.signature}`}>
                  {checkpoint.signature}
                </code>
              </dd>
            </dl>
            <table className="grid compact" aria-label={t('caseReport.checkpoint')}>
              <thead>
                <tr>
                  <th scope="col">{t('caseReport.chain')}</th>
                  <th scope="col">{t('caseReport.position')}</th>
                  <th scope="col">{t('caseReport.headHash')}</th>
                </tr>
              </thead>
              <tbody>
                {checkpoint.ledgerHeads.map((h) => (
                  <tr key={h.chainId}>
                    <td>{h.chainId}</td>
                    <td className="num">{h.seq}</td>
                    <td>
                      <code className="hash-full">{h.hash}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </article>
  );
}

function ReportFlagSection({ flag, index, count }: { flag: ReportFlag; index: number; count: number }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const d = flag.detail;
  if (d === null) {
    const reason = flag.error instanceof Error ? flag.error.message : String(flag.error ?? '');
    return (
      <section className="report-flag">
        <h3>{t('caseReport.flagHeading', { index, count, rule: flag.id })}</h3>
        <p role="alert" className="error">
          {t('caseReport.flagUnreadable', { reason })}
        </p>
      </section>
    );
  }
  const explanation = d.explanation[i18n.language] ?? d.explanation['en'] ?? Object.values(d.explanation)[0] ?? '';
  const events = new Map(d.evidenceEvents.map((e) => [`${e.source}|${e.eventId}`, e]));
  return (
    <section className="report-flag" aria-label={t('caseReport.flagHeading', { index, count, rule: ruleText(d.scheme, d.ruleId, t) })}>
      <h3>
        {t('caseReport.flagHeading', { index, count, rule: ruleText(d.scheme, d.ruleId, t) })} <span className="muted">· {t(SEVERITY_KEYS[d.severity] ?? 'severity.low')}</span>
      </h3>
      <p className="muted">{t('caseReport.rule', { rule: d.ruleId, version: d.ruleVersion })}</p>
      <p className="explanation">{explanation}</p>
      <dl className="meta">
        <dt>{t('flag.subject')}</dt>
        <dd>
          {t(subjectKindKey(d.subjectKind))} {d.subjectId.replace('|', ' · ')}
        </dd>
        <dt>{t('flag.window')}</dt>
        <dd>
          {f.date(d.windowFrom)} – {f.date(d.windowTo)}
        </dd>
        <dt>{t('flag.scoreQ')}</dt>
        <dd>
          {f.number(d.score, 2)} / {d.qValue === null ? '—' : f.number(d.qValue)}
        </dd>
        <dt>{t('flag.place')}</dt>
        <dd>{[d.unit, d.district === null ? null : districtText(d.district, t)].filter((x) => x !== null).join(' · ') || '—'}</dd>
      </dl>
      {d.display.map((entry) => (
        <EvidenceChart key={entry.fact} entry={entry} subjectId={d.subjectId} />
      ))}
      <FlagFacts flag={d} />
      <h4>{t('caseReport.evidence')}</h4>
      {d.evidence.length === 0 ? (
        <p className="muted">{t('flag.noEvidence')}</p>
      ) : (
        <table className="grid compact" aria-label={`${t('caseReport.evidence')} ${index}`}>
          <thead>
            <tr>
              <th scope="col">{t('caseReport.event')}</th>
              <th scope="col">{t('flag.source')}</th>
              <th scope="col">{t('flag.contentHash')}</th>
              <th scope="col">{t('flag.chainHash')}</th>
            </tr>
          </thead>
          <tbody>
            {d.evidence.map((e) => {
              const step = events.get(`${e.source}|${e.eventId}`);
              return (
                <tr key={`${e.source}|${e.eventId}`}>
                  <td>
                    {step === undefined ? (
                      e.eventId
                    ) : (
                      <>
                        {t(EVENT_TYPE_KEYS[step.type])}, {f.dateTime(step.occurredAt)} · {step.violationRef}
                        <div className="muted">
                          {t('caseReport.eventId')}: {e.eventId}
                        </div>
                      </>
                    )}
                  </td>
                  <td>{e.source}</td>
                  <td>
                    <code className="hash-full" aria-label={`${t('flag.contentHash')} ${e.contentHash}`}>
                      {e.contentHash}
                    </code>
                  </td>
                  <td>
                    <code className="hash-full" aria-label={`${t('flag.chainHash')} ${e.chainHash}`}>
                      {e.chainHash}
                    </code>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
