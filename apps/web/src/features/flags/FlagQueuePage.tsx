import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { EXACT_FLAG_COUNT_UP_TO, FLAG_STATUSES } from '@qadaga/contracts/api';
import { QUEUE_ORDERS, SEVERITIES, type QueueOrder } from '@qadaga/domain';
import { mayActOnCases } from '../../auth/access.js';
import { useSession } from '../../auth/session.js';
import { DataState } from '../../components/DataState.js';
import { DateField } from '../../components/DateField.js';
import { startOfLocalDay, useFormat } from '../../format/format.js';
import { ruleText } from '../../i18n/vocabulary.js';
import { BulkActions } from './BulkActions.js';
import { ExportCsv } from './ExportCsv.js';
import { SavedViews } from './SavedViews.js';
import { FlagTable, sortFlags, type Sort } from './FlagTable.js';
import { useFlags, useRules } from './flags-api.js';
import { FLAG_STATUS_KEYS, SEVERITY_KEYS } from './labels.js';

const PAGE_SIZE = 50;
const DEFAULT_STATUS = 'new,triaged';

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Filters live in the address, so a filtered queue can be bookmarked or sent to a colleague. */
export function FlagQueuePage() {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k) ?? '';
  const statusParam = params.has('status') ? get('status') : DEFAULT_STATUS;
  const offset = Number(get('offset') || 0);
  const order: QueueOrder = get('order') === 'severity' ? 'severity' : 'priority';
  const query = {
    rule: get('rule') || undefined,
    severity: get('severity') || undefined,
    status: statusParam || undefined,
    unit: get('unit') || undefined,
    district: get('district') || undefined,
    camera: get('camera') || undefined,
    from: get('from') ? startOfLocalDay(get('from')) : undefined,
    to: get('to') ? startOfLocalDay(nextDay(get('to'))) : undefined,
    limit: PAGE_SIZE,
    offset,
    order,
  };
  const flags = useFlags(query);
  const rules = useRules();
  // No column chosen: the page as the queue ordered it (priority or severity first).
  const [sort, setSort] = useState<Sort | null>(null);
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const rows = useMemo(() => sortFlags(flags.data?.flags ?? [], sort), [flags.data, sort]);

  const marked = useRef(false);
  useEffect(() => {
    // The time to the first rendered queue, read by the browser tests.
    if (!marked.current && flags.data !== undefined) {
      marked.current = true;
      performance.mark('qadaga:queue-rendered');
    }
  }, [flags.data]);

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '' && key !== 'status') next.delete(key);
    else next.set(key, value);
    next.delete('offset');
    setParams(next, { replace: true });
    setActive(0);
    setSort(null);
  };
  const toggleIn = (key: 'severity' | 'status', value: string, current: string) => {
    const values = new Set(current.split(',').filter((x) => x !== ''));
    if (values.has(value)) values.delete(value);
    else values.add(value);
    set(key, [...values].join(','));
  };
  const page = (to: number) => {
    const next = new URLSearchParams(params);
    next.set('offset', String(to));
    setParams(next);
    setActive(0);
  };
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = (ids: string[], select: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const id of ids) {
        if (select) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  const total = flags.data?.total ?? 0;
  // Above a bound the server stops counting and answers a lower bound; the queue says
  // "at least" then, and pages on while a page comes back full.
  const exact = flags.data?.totalExact !== false;
  const shown = flags.data?.flags.length ?? 0;
  const hasNext = exact ? offset + PAGE_SIZE < total : shown === PAGE_SIZE;
  return (
    <section>
      <h1>{t('queue.title')}</h1>
      <SavedViews />
      <form className="filters" aria-label={t('queue.filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('queue.filter.rule')}
          <select value={get('rule')} onChange={(e) => set('rule', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {(rules.data ?? []).map((r) => (
              <option key={r.ruleId} value={r.ruleId}>
                {r.latest === null ? r.ruleId : `${ruleText(r.latest.definition.detects, r.ruleId, t)} (${r.ruleId})`}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t('queue.filter.severity')}</legend>
          {SEVERITIES.map((s) => (
            <label key={s}>
              <input type="checkbox" checked={get('severity').split(',').includes(s)} onChange={() => toggleIn('severity', s, get('severity'))} />
              {t(SEVERITY_KEYS[s])}
              {/* What each severity holds under the other filters: the lower ones are seen even when the first page is all graver. */}
              {flags.data !== undefined && (
                <span className={`count sev-count-${s}`} aria-label={t('queue.severityCount', { count: flags.data.bySeverity[s] })}>
                  {' '}
                  ({flags.data.bySeverity[s] > EXACT_FLAG_COUNT_UP_TO ? `${f.number(EXACT_FLAG_COUNT_UP_TO, 0)}+` : f.number(flags.data.bySeverity[s], 0)})
                </span>
              )}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('queue.filter.status')}</legend>
          {FLAG_STATUSES.map((s) => (
            <label key={s}>
              <input type="checkbox" checked={statusParam.split(',').includes(s)} onChange={() => toggleIn('status', s, statusParam)} />
              {t(FLAG_STATUS_KEYS[s])}
            </label>
          ))}
        </fieldset>
        <label>
          {t('queue.filter.unit')}
          <input value={get('unit')} onChange={(e) => set('unit', e.target.value)} size={10} />
        </label>
        <label>
          {t('queue.filter.district')}
          <input value={get('district')} onChange={(e) => set('district', e.target.value)} size={12} />
        </label>
        <label>
          {t('queue.filter.camera')}
          <input value={get('camera')} onChange={(e) => set('camera', e.target.value)} size={10} />
        </label>
        <label title={t('queue.filter.orderHint')}>
          {t('queue.filter.order')}
          <select value={order} onChange={(e) => set('order', e.target.value === 'priority' ? '' : e.target.value)}>
            {QUEUE_ORDERS.map((o) => (
              <option key={o} value={o}>
                {t(o === 'priority' ? 'queue.filter.orderPriority' : 'queue.filter.orderSeverity')}
              </option>
            ))}
          </select>
        </label>
        <DateField label={t('queue.filter.from')} value={get('from')} onChange={(day) => set('from', day)} />
        <DateField label={t('queue.filter.to')} value={get('to')} onChange={(day) => set('to', day)} />
      </form>
      <p className="counts" role="status" aria-live="polite">
        {t(exact ? 'queue.count' : 'queue.countAtLeast', { count: total })}
        {selected.size > 0 && <> · {t('queue.selected', { count: selected.size })}</>}
        <span className="muted"> · {t('queue.keys')}</span>
      </p>
      <ExportCsv />
      {order === 'priority' && sort === null && <p className="muted hint">{t('queue.filter.orderHint')}</p>}
      {user !== null && mayActOnCases(user.roles) && selected.size > 0 && (
        <BulkActions
          ids={[...selected]}
          onDone={(message) => {
            setSelected(new Set());
            setNotice(message);
          }}
        />
      )}
      {notice !== null && <p role="status">{notice}</p>}
      <DataState query={flags} isEmpty={(d) => d.flags.length === 0} empty={t('queue.empty')}>
        {() => (
          <>
            <FlagTable
              flags={rows}
              sort={sort}
              onSort={setSort}
              active={active}
              onActive={setActive}
              selected={selected}
              onToggle={toggle}
              onToggleAll={toggleAll}
              onOpen={(id) => navigate(`/flags/${id}`)}
            />
            <nav className="pager" aria-label={t('common.pages')}>
              <button type="button" disabled={offset === 0} onClick={() => page(Math.max(0, offset - PAGE_SIZE))}>
                {t('common.previous')}
              </button>
              <span>
                {exact
                  ? t('common.range', { from: total === 0 ? 0 : offset + 1, to: Math.min(offset + PAGE_SIZE, total), total })
                  : t('common.rangeAtLeast', { from: offset + 1, to: offset + shown, total })}
              </span>
              <button type="button" disabled={!hasNext} onClick={() => page(offset + PAGE_SIZE)}>
                {t('common.next')}
              </button>
            </nav>
          </>
        )}
      </DataState>
    </section>
  );
}
