import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { EvidenceEvent, FlagDetail, FlagEvidence } from '@qadaga/contracts/api';
import { useFormat } from '../../format/format.js';
import { ACTOR_KIND_KEYS, EVENT_TYPE_KEYS } from '../../i18n/vocabulary.js';

/** A hash shortened for reading, with a button that copies it whole. */
function CopyHash({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <span className="hash-copy">
      <code className="hash" title={value} aria-label={`${label} ${value}`}>
        {value.slice(0, 10)}…
      </code>{' '}
      <button
        type="button"
        className="link"
        aria-label={`${t('evidence.copy')} ${label}`}
        onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true))}
      >
        {copied ? t('evidence.copied') : t('evidence.copy')}
      </button>
    </span>
  );
}

/**
 * The events a flag rests on, grouped by violation: each step's type, Almaty time, actor
 * and source, with a link to the violation's page and the hashes that tie it to the
 * ledger, shortened with a copy button.
 */
export function EvidenceByViolation({ flag }: { flag: FlagDetail }) {
  const { t } = useTranslation();
  const hashes = new Map(flag.evidence.map((e) => [`${e.source}|${e.eventId}`, e]));
  const byViolation = new Map<string, EvidenceEvent[]>();
  for (const e of flag.evidenceEvents) byViolation.set(e.violationRef, [...(byViolation.get(e.violationRef) ?? []), e]);
  const unshown = flag.evidence.length - flag.evidenceEvents.length;
  return (
    <section aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">{t('flag.evidence', { count: flag.evidence.length })}</h2>
      {flag.evidence.length === 0 && <p className="muted">{t('flag.noEvidence')}</p>}
      {[...byViolation].slice(0, SHOWN_VIOLATIONS).map(([ref, events]) => (
        <ViolationSteps key={ref} violationRef={ref} events={events} hashes={hashes} />
      ))}
      {byViolation.size > SHOWN_VIOLATIONS && (
        <details>
          <summary>{t('evidence.moreViolations', { count: byViolation.size - SHOWN_VIOLATIONS })}</summary>
          {[...byViolation].slice(SHOWN_VIOLATIONS).map(([ref, events]) => (
            <ViolationSteps key={ref} violationRef={ref} events={events} hashes={hashes} />
          ))}
        </details>
      )}
      {unshown > 0 && <p className="muted">{t('evidence.notInLedger', { count: unshown })}</p>}
    </section>
  );
}

/** A roll-up lists hundreds of violations: the first few are open, the rest one click away. */
const SHOWN_VIOLATIONS = 10;

function ViolationSteps({ violationRef: ref, events, hashes }: { violationRef: string; events: EvidenceEvent[]; hashes: ReadonlyMap<string, FlagEvidence> }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="evidence-group">
      <h3>
        <Link to={`/violations/${encodeURIComponent(ref)}`}>{t('evidence.byViolation', { ref })}</Link>
      </h3>
      <table className="grid compact" aria-label={t('evidence.byViolation', { ref })}>
        <thead>
          <tr>
            <th scope="col">{t('evidence.type')}</th>
            <th scope="col">{t('evidence.when')}</th>
            <th scope="col">{t('evidence.who')}</th>
            <th scope="col">{t('flag.source')}</th>
            <th scope="col">{t('flag.contentHash')}</th>
            <th scope="col">{t('flag.chainHash')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const h = hashes.get(`${e.source}|${e.eventId}`);
            return (
              <tr key={`${e.source}|${e.eventId}`}>
                <td>{t(EVENT_TYPE_KEYS[e.type])}</td>
                <td>
                  <time dateTime={e.occurredAt}>{f.dateTime(e.occurredAt)}</time>
                </td>
                <td>
                  {t(ACTOR_KIND_KEYS[e.actor.kind])} {e.actor.id}
                  {e.actor.unit !== null && <span className="muted"> · {e.actor.unit}</span>}
                </td>
                <td>{e.source}</td>
                <td>{h === undefined ? '—' : <CopyHash value={h.contentHash} label={t('flag.contentHash')} />}</td>
                <td>{h === undefined ? '—' : <CopyHash value={h.chainHash} label={t('flag.chainHash')} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
