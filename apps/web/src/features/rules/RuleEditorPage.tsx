import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../components/DateField.js';
import { Link, useParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { BacktestView as BacktestResult, FactDistribution, NamedRuleVersion, RuleDefinition } from '@qadaga/contracts/api';
import { DataState } from '../../components/DataState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useDebounced } from '../../components/useDebounced.js';
import { startOfLocalDay, useFormat } from '../../format/format.js';
import { RULE_STATUS_KEYS } from './labels.js';
import { parseDefinition, stepOf, withParameter } from './rule-draft.js';
import { localParameterDescription, localRuleText } from './rule-text.js';
import { useBacktest, useRuleSchema, useRuleStep, useRuleVersions } from './rules-api.js';
import { ThresholdDistribution } from './ThresholdDistribution.js';
import './rule-editor.css';

const DAY_MS = 86_400_000;
/** CodeMirror and the schema tooling are most of this page's weight: the parameters and the preview come first. */
const JsonRuleEditor = lazy(async () => ({ default: (await import('./JsonRuleEditor.js')).JsonRuleEditor }));
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function RuleEditorPage() {
  const { id = '' } = useParams();
  const versions = useRuleVersions(id);
  return <DataState query={versions}>{(data) => <RuleEditor ruleId={id} versions={data} />}</DataState>;
}

export function RuleEditor({ ruleId, versions }: { ruleId: string; versions: NamedRuleVersion[] }) {
  const { t, i18n } = useTranslation();
  const latest = versions[0];
  const [text, setText] = useState(() => JSON.stringify(latest?.definition ?? {}, null, 2));
  const parsed = parseDefinition(text);
  const definition = parsed.ok ? parsed.definition : null;
  const shown = definition === null ? null : localRuleText(definition, i18n.language);
  const [range, setRange] = useState(() => {
    const to = new Date();
    return { from: isoDay(new Date(to.getTime() - 180 * DAY_MS)), to: isoDay(to) };
  });
  // Re-run the preview once a parameter stops moving, not on every tick of the slider.
  const settled = useDebounced(useMemo(() => (definition === null ? null : JSON.stringify(definition)), [definition]), 400);
  const settledDefinition = useMemo(() => (settled === null ? null : (JSON.parse(settled) as RuleDefinition)), [settled]);
  const { query: backtest, jobProgress } = useBacktest(settledDefinition, { from: startOfLocalDay(range.from), to: startOfLocalDay(range.to) });
  const step = useRuleStep(ruleId);
  const schema = useRuleSchema();
  // The distributions of the latest preview, by the parameter each threshold is.
  const distributions = new Map<string, FactDistribution[]>();
  for (const d of backtest.data?.distributions ?? []) distributions.set(d.parameter, [...(distributions.get(d.parameter) ?? []), d]);

  const setParameter = (name: string, value: number) => {
    if (definition === null || !Number.isFinite(value)) return;
    setText(JSON.stringify(withParameter(definition, name, value), null, 2));
  };

  return (
    <article>
      <p>
        <Link to="/rules">← {t('rules.back')}</Link>
      </p>
      <h1>
        {ruleId} <span className="muted">{shown?.name}</span>
      </h1>
      {shown !== null && shown.description !== '' && <p className="muted">{shown.description}</p>}
      <div className="two-columns">
        <section aria-labelledby="params-heading">
          <h2 id="params-heading">{t('rules.parameters')}</h2>
          {definition === null ? (
            <p className="muted">{t('rules.fixJson')}</p>
          ) : (
            <form className="params" aria-label={t('rules.parameters')} onSubmit={(e) => e.preventDefault()}>
              {Object.entries(definition.parameters).map(([name, p]) => (
                <div key={name} className="param">
                  <label>
                    <code>{name}</code>
                    <input type="number" value={p.default} min={p.min} max={p.max} step={stepOf(p)} onChange={(e) => setParameter(name, e.target.valueAsNumber)} />
                  </label>
                  <input
                    type="range"
                    aria-label={t('rules.slider', { name })}
                    value={p.default}
                    min={p.min ?? 0}
                    max={p.max ?? Math.max(1, p.default * 2)}
                    step={stepOf(p)}
                    onChange={(e) => setParameter(name, e.target.valueAsNumber)}
                  />
                  <div className="muted">{localParameterDescription(definition, name, i18n.language)}</div>
                  {(distributions.get(name) ?? []).map((d) => (
                    <ThresholdDistribution key={`${d.fact}|${d.direction}`} distribution={d} />
                  ))}
                </div>
              ))}
            </form>
          )}
        </section>
        <section aria-labelledby="backtest-heading">
          <h2 id="backtest-heading">{t('rules.backtest')}</h2>
          <form className="filters" aria-label={t('rules.range')} onSubmit={(e) => e.preventDefault()}>
            <DateField label={t('queue.filter.from')} value={range.from} onChange={(day) => setRange((r) => ({ ...r, from: day }))} />
            <DateField label={t('queue.filter.to')} value={range.to} onChange={(day) => setRange((r) => ({ ...r, to: day }))} />
            {backtest.isFetching && (
              <span role="status">{jobProgress === null ? t('rules.running') : t('rules.runningAsJob', { percent: Math.round(jobProgress) })}</span>
            )}
          </form>
          <DataState query={backtest}>{(result) => <BacktestView result={result} />}</DataState>
        </section>
      </div>
      <section aria-labelledby="definition-heading" className="rule-definition">
        <h2 id="definition-heading">{t('rules.definition')}</h2>
        <p className="muted">{t('rules.why.editorHelp')}</p>
        <Suspense fallback={<p role="status" className="muted">{t('common.loading')}</p>}>
          <JsonRuleEditor value={text} onChange={setText} schema={schema.data} label={t('rules.json')} />
        </Suspense>
        {!parsed.ok && (
          <p role="alert" className="error">
            {t('rules.invalidJson', { message: parsed.message })}
          </p>
        )}
      </section>
      <Workflow versions={versions} definition={definition} step={step} overFlagging={backtest.data?.flaggedShare.exceeded === true ? backtest.data.flaggedShare : null} />
    </article>
  );
}

function BacktestView({ result }: { result: BacktestResult }) {
  const { t } = useTranslation();
  const f = useFormat();
  const data = result.perWeek.map((w) => ({ week: f.date(w.week), flagged: w.flagged, events: w.events }));
  return (
    <div>
      <p role="status" aria-label={t('rules.summary')}>
        {t('rules.wouldFlag', { count: result.flags.length, subjects: f.number(result.subjects, 0) })}{' '}
        {result.diff.publishedVersion === null
          ? t('rules.nothingPublished')
          : t('rules.diff', { added: result.diff.added.length, removed: result.diff.removed.length, version: result.diff.publishedVersion })}
      </p>
      {(result.withheldForRecusal ?? 0) > 0 && (
        <p role="note" className="notice">
          {t('rules.withheldForRecusal', { count: result.withheldForRecusal })}
        </p>
      )}
      {result.flaggedShare.exceeded && (
        <p role="alert" className="warning over-flagging">
          {t('rules.why.overFlagging', { flagged: f.number(result.flaggedShare.flagged, 0), subjects: f.number(result.flaggedShare.subjects, 0), share: f.percent(result.flaggedShare.share), limit: f.percent(result.flaggedShare.limit) })}
        </p>
      )}
      {result.diff.publishedVersion !== null && (
        <table className="grid compact outcomes" aria-label={t('rules.why.outcomes')}>
          <caption>{t('rules.why.outcomes')}</caption>
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">{t('rules.why.substantiated')}</th>
              <th scope="col">{t('rules.why.unfounded')}</th>
              <th scope="col">{t('rules.why.unjudged')}</th>
            </tr>
          </thead>
          <tbody>
            {(['added', 'removed'] as const).map((side) => (
              <tr key={side}>
                <th scope="row">{t(side === 'added' ? 'rules.why.addedRow' : 'rules.why.removedRow', { count: result.diff[side].length })}</th>
                <td>{f.number(result.outcomes[side].substantiated, 0)}</td>
                <td>{f.number(result.outcomes[side].unfounded, 0)}</td>
                <td>{f.number(result.outcomes[side].unjudged, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <figure className="chart" aria-label={t('rules.perWeek')}>
        <figcaption>{t('rules.perWeek')}</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="week" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="flagged" name={t('rules.flaggedSubjects')} fill="#c0392b" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <div className="two-columns">
        <SubjectList title={t('rules.added', { count: result.diff.added.length })} subjects={result.diff.added} />
        <SubjectList title={t('rules.removed', { count: result.diff.removed.length })} subjects={result.diff.removed} />
      </div>
      <p className="muted">{t('rules.timings', { facts: result.timings.factsMs, evaluate: result.timings.evaluateMs })}</p>
    </div>
  );
}

function SubjectList({ title, subjects }: { title: string; subjects: string[] }) {
  const { t } = useTranslation();
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      <ul>
        {subjects.slice(0, 20).map((s) => (
          <li key={s}>
            <code>{s}</code>
          </li>
        ))}
        {subjects.length > 20 && <li className="muted">{t('rules.more', { count: subjects.length - 20 })}</li>}
      </ul>
    </section>
  );
}

function Workflow({
  versions,
  definition,
  step,
  overFlagging,
}: {
  versions: NamedRuleVersion[];
  definition: RuleDefinition | null;
  step: ReturnType<typeof useRuleStep>;
  /** The preview's share when it is past the over-flagging share: submitting then asks first. */
  overFlagging: BacktestResult['flaggedShare'] | null;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [message, setMessage] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const run = (s: Parameters<typeof step.mutate>[0], done: string) => step.mutate(s, { onSuccess: (v) => setMessage(t(done, { version: v.version })) });
  const submit = (version: number) => {
    if (overFlagging !== null && confirming !== version) {
      setConfirming(version);
      return;
    }
    setConfirming(null);
    run({ kind: 'submit', version }, 'rules.submitted');
  };
  return (
    <section aria-labelledby="workflow-heading">
      <h2 id="workflow-heading">{t('rules.workflow')}</h2>
      <button type="button" disabled={definition === null || step.isPending} onClick={() => definition !== null && run({ kind: 'draft', definition }, 'rules.savedDraft')}>
        {t('rules.saveDraft')}
      </button>
      {message !== null && <p role="status">{message}</p>}
      {confirming !== null && overFlagging !== null && (
        <div role="alertdialog" aria-labelledby="over-flag-confirm" className="warning confirm">
          <p id="over-flag-confirm">
            {t('rules.why.confirmSubmit', { version: confirming, share: f.percent(overFlagging.share), limit: f.percent(overFlagging.limit) })}
          </p>
          <button type="button" onClick={() => submit(confirming)}>
            {t('rules.why.submitAnyway', { version: confirming })}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(null)}>
            {t('rules.why.cancel')}
          </button>
        </div>
      )}
      <ErrorMessage error={step.error} />
      <table className="grid compact" aria-label={t('rules.versions')}>
        <thead>
          <tr>
            <th scope="col">{t('rules.version')}</th>
            <th scope="col">{t('rules.status')}</th>
            <th scope="col">{t('rules.author')}</th>
            <th scope="col">{t('rules.why.approvedBy')}</th>
            <th scope="col">{t('rules.why.publishedBy')}</th>
            <th scope="col">{t('rules.created')}</th>
            <th scope="col">{t('rules.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>v{v.version}</td>
              <td>{t(RULE_STATUS_KEYS[v.status] ?? 'ruleStatus.draft')}</td>
              <td title={v.authorId}>{v.authorName}</td>
              <td title={v.approvedBy ?? undefined}>{v.approvedByName ?? '—'}</td>
              <td title={v.publishedBy ?? undefined}>{v.publishedByName ?? '—'}</td>
              <td>{f.dateTime(v.createdAt)}</td>
              <td>
                {v.status === 'draft' && (
                  <button type="button" onClick={() => submit(v.version)}>
                    {t('rules.submit', { version: v.version })}
                  </button>
                )}
                {v.status === 'submitted' && (
                  <button type="button" onClick={() => run({ kind: 'approve', version: v.version }, 'rules.approved')}>
                    {t('rules.approve', { version: v.version })}
                  </button>
                )}
                {v.status === 'approved' && (
                  <button type="button" onClick={() => run({ kind: 'publish', version: v.version }, 'rules.publishedMessage')}>
                    {t('rules.publish', { version: v.version })}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
