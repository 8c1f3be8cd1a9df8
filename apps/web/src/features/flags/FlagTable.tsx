import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { districtText, ruleText } from '../../i18n/vocabulary.js';
import type { Flag } from '@qadaga/contracts/api';
import { SubjectLinks } from '../../components/SubjectLinks.js';
import { useFormat } from '../../format/format.js';
import { FLAG_STATUS_KEYS, SEVERITY_KEYS, subjectKindKey } from './labels.js';

export type SortKey = 'severity' | 'score' | 'ruleId' | 'subjectId' | 'lastRaisedAt' | 'status';
export interface Sort {
  key: SortKey;
  descending: boolean;
}

const SEVERITY_RANK: Record<string, number> = { critical: 3, high: 2, medium: 1, low: 0 };

/** The page as the server ordered it (the queue's order) when no column is chosen. */
export function sortFlags(flags: readonly Flag[], sort: Sort | null): readonly Flag[] {
  if (sort === null) return flags;
  const value = (f: Flag): number | string => (sort.key === 'severity' ? (SEVERITY_RANK[f.severity] ?? -1) * 1e9 + f.score : sort.key === 'score' ? f.score : String(f[sort.key]));
  const sign = sort.descending ? -1 : 1;
  return [...flags].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    return (x < y ? -1 : x > y ? 1 : 0) * sign || a.id.localeCompare(b.id);
  });
}

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'severity', label: 'queue.column.severity' },
  { key: 'ruleId', label: 'queue.column.rule' },
  { key: 'subjectId', label: 'queue.column.subject' },
  { key: 'status', label: 'queue.column.status' },
  { key: 'score', label: 'queue.column.score' },
  { key: 'lastRaisedAt', label: 'queue.column.raised' },
];

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'checkbox';
}

/** Enter and x on a focused button, link or checkbox keep their own meaning. */
function isControl(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && ['BUTTON', 'A', 'INPUT'].includes(target.tagName);
}

interface Props {
  flags: readonly Flag[];
  /** null: as the queue ordered the page. */
  sort: Sort | null;
  onSort(sort: Sort): void;
  active: number;
  onActive(index: number): void;
  selected: ReadonlySet<string>;
  onToggle(id: string): void;
  onToggleAll(ids: string[], select: boolean): void;
  onOpen(id: string): void;
}

/**
 * The queue's table. j/k or the arrow keys move the active row, Enter opens it, x selects
 * it: a prosecutor can triage a page of flags without the mouse. Keys typed into a form
 * field are left alone.
 */
export function FlagTable({ flags, sort, onSort, active, onActive, selected, onToggle, onToggleAll, onOpen }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const state = useRef({ flags, active, onActive, onToggle, onOpen });
  state.current = { flags, active, onActive, onToggle, onOpen };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const s = state.current;
      if (s.flags.length === 0) return;
      const current = s.flags[s.active];
      if (event.key === 'j' || event.key === 'ArrowDown') s.onActive(Math.min(s.active + 1, s.flags.length - 1));
      else if (event.key === 'k' || event.key === 'ArrowUp') s.onActive(Math.max(s.active - 1, 0));
      else if (event.key === 'x' && current !== undefined && !isControl(event.target)) s.onToggle(current.id);
      else if (event.key === 'Enter' && current !== undefined && !isControl(event.target)) s.onOpen(current.id);
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);
  useEffect(() => {
    rowRefs.current[active]?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  const ids = flags.map((x) => x.id);
  const allSelected = ids.length > 0 && ids.every((id) => selected.has(id));
  return (
    <table className="grid" aria-label={t('queue.table')}>
      <thead>
        <tr>
          <th scope="col">
            <input type="checkbox" aria-label={t('queue.selectAll')} checked={allSelected} onChange={() => onToggleAll(ids, !allSelected)} />
          </th>
          {COLUMNS.map((c) => (
            <th key={c.key} scope="col" aria-sort={sort?.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
              <button type="button" className="link" onClick={() => onSort({ key: c.key, descending: sort?.key === c.key ? !sort.descending : true })}>
                {t(c.label)}
                {sort?.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
              </button>
            </th>
          ))}
          <th scope="col">{t('queue.column.place')}</th>
        </tr>
      </thead>
      <tbody>
        {flags.map((flag, index) => (
          <tr
            key={flag.id}
            ref={(el) => {
              rowRefs.current[index] = el;
            }}
            aria-current={index === active ? 'true' : undefined}
            className={index === active ? 'active' : undefined}
            onClick={() => onActive(index)}
            onDoubleClick={() => onOpen(flag.id)}
          >
            <td>
              <input type="checkbox" aria-label={t('queue.select', { subject: flag.subjectId })} checked={selected.has(flag.id)} onChange={() => onToggle(flag.id)} />
            </td>
            <td>
              <span className={`badge sev-${flag.severity}`}>{t(SEVERITY_KEYS[flag.severity] ?? 'severity.low')}</span>
            </td>
            <td>
              <button type="button" className="link" onClick={() => onOpen(flag.id)} aria-label={t('queue.open', { rule: ruleText(flag.scheme, flag.ruleId, t), subject: flag.subjectId })}>
                {ruleText(flag.scheme, flag.ruleId, t)}
              </button>{' '}
              <span className="muted small">{flag.ruleId}</span>
            </td>
            <td>
              <span className="muted">{t(subjectKindKey(flag.subjectKind))}</span> <SubjectLinks kind={flag.subjectKind} id={flag.subjectId} />
            </td>
            <td>{t(FLAG_STATUS_KEYS[flag.status] ?? 'flagStatus.new')}</td>
            <td className="num">{f.number(flag.score, 1)}</td>
            <td>{f.dateTime(flag.lastRaisedAt)}</td>
            <td>{[flag.unit, flag.district === null ? null : districtText(flag.district, t)].filter((x) => x !== null && x !== '').join(' · ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
