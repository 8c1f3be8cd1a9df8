import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../components/DateField.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { startOfLocalDay } from '../../format/format.js';
import { BundleProgress } from './BundleExport.js';
import { useRoster, useStartQueryBundle } from './bundles-api.js';
import { subjectKindKey } from '../flags/labels.js';

/** The kinds of subject an export is chosen by here: people and units from the roster, a vehicle by its plate. */
const PICKABLE = ['officer', 'unit', 'vehicle'] as const;
type Pickable = (typeof PICKABLE)[number];

/** A plate as the ledger keys it: upper case, no spaces. */
const plateKey = (text: string) => text.replace(/\s+/gu, '').toUpperCase();

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Export evidence for a query: subjects chosen from the roster (officers, units) or by
 * plate, rules by id, and a period of whole days (the last day included).
 */
export function QueryBundleForm() {
  const { t } = useTranslation();
  const roster = useRoster();
  const start = useStartQueryBundle();
  const [kind, setKind] = useState<Pickable>('officer');
  const [value, setValue] = useState('');
  const [subjects, setSubjects] = useState<{ kind: Pickable; id: string }[]>([]);
  const [rules, setRules] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [bundleId, setBundleId] = useState<string | null>(null);
  const id = kind === 'vehicle' ? plateKey(value) : value;
  const add = () => {
    if (id === '' || subjects.some((s) => s.kind === kind && s.id === id)) return;
    setSubjects([...subjects, { kind, id }]);
    setValue('');
  };
  return (
    <form
      className="inline-form"
      aria-label={t('bundles.exportQuery')}
      onSubmit={(e) => {
        e.preventDefault();
        // A subject chosen but not yet added is meant too.
        const chosen = id !== '' && !subjects.some((s) => s.kind === kind && s.id === id) ? [...subjects, { kind, id }] : subjects;
        start.mutate(
          {
            reason,
            query: {
              ...(chosen.length === 0 ? {} : { subjects: chosen }),
              ...(rules.trim() === '' ? {} : { ruleIds: rules.split(',').map((r) => r.trim()).filter((r) => r !== '') }),
              from: from === '' ? '' : startOfLocalDay(from),
              to: to === '' ? '' : startOfLocalDay(nextDay(to)),
            },
          },
          { onSuccess: (b) => setBundleId(b.id) },
        );
      }}
    >
      <h2>{t('bundles.exportQuery')}</h2>
      <fieldset>
        <legend>{t('bundles.pick.subjects')}</legend>
        <label>
          {t('bundles.pick.kind')}
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as Pickable);
              setValue('');
            }}
          >
            {PICKABLE.map((k) => (
              <option key={k} value={k}>
                {t(subjectKindKey(k))}
              </option>
            ))}
          </select>
        </label>
        {kind === 'vehicle' ? (
          <label>
            {t('bundles.pick.plate')}
            <input value={value} onChange={(e) => setValue(e.target.value)} placeholder="123ABC02" maxLength={20} />
          </label>
        ) : (
          <label>
            {t(kind === 'officer' ? 'bundles.pick.officer' : 'bundles.pick.unit')}
            <select value={value} onChange={(e) => setValue(e.target.value)} disabled={roster.data === undefined}>
              <option value="">{roster.isPending ? t('common.loading') : t('bundles.pick.choose')}</option>
              {kind === 'officer'
                ? (roster.data?.officers ?? []).map((o) => (
                    <option key={o.id} value={o.id}>
                      {t('bundles.pick.officerOption', { id: o.id, unit: o.unit })}
                    </option>
                  ))
                : (roster.data?.units ?? []).map((u) => (
                    <option key={u} value={u}>
                      {u}
                    </option>
                  ))}
            </select>
          </label>
        )}
        <button type="button" onClick={add} disabled={id === ''}>
          {t('bundles.pick.add')}
        </button>
        {subjects.length > 0 && (
          <ul aria-label={t('bundles.pick.chosen')}>
            {subjects.map((s, i) => (
              <li key={`${s.kind}:${s.id}`}>
                {t(subjectKindKey(s.kind))}: <strong>{s.id}</strong>{' '}
                <button type="button" onClick={() => setSubjects(subjects.filter((_, j) => j !== i))} aria-label={t('bundles.pick.remove', { id: s.id })}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        {roster.data !== undefined && roster.data.withheld > 0 && <p className="muted">{t('bundles.pick.withheld', { count: roster.data.withheld })}</p>}
        <ErrorMessage error={roster.error} />
      </fieldset>
      <label>
        {t('bundles.rules')}
        <input value={rules} onChange={(e) => setRules(e.target.value)} />
      </label>
      <DateField label={t('queue.filter.from')} value={from} onChange={(day) => setFrom(day)} />
      <DateField label={t('queue.filter.to')} value={to} onChange={(day) => setTo(day)} />
      <label>
        {t('bundle.reason')}
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="submit" disabled={start.isPending}>
        {t('bundle.export')}
      </button>
      <ErrorMessage
        error={start.error}
        fields={{ reason: t('bundle.reason'), 'query.from': t('queue.filter.from'), 'query.to': t('queue.filter.to'), 'query.subjects': t('bundles.pick.subjects'), 'query.ruleIds': t('bundles.rules') }}
      />
      {bundleId !== null && <BundleProgress id={bundleId} />}
    </form>
  );
}
