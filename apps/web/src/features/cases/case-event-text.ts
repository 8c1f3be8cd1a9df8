import type { TFunction } from 'i18next';
import type { CaseOutcome, CaseStatus, CaseTimelineEntry } from '@qadaga/contracts/api';
import type { Formatters } from '../../format/format.js';
import { CASE_STATUS_KEYS, OUTCOME_KEYS } from './labels.js';

/**
 * One timeline entry as a sentence in the reader's language, from the action code and
 * the details the server recorded with it. An action this page does not know yet is
 * shown as recorded (code and details) rather than hidden: the timeline is evidence.
 */
export function caseEventText(entry: CaseTimelineEntry, t: TFunction, f: Formatters): string {
  const d = entry.details ?? {};
  const text = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : '');
  const status = (key: string) => (text(key) in CASE_STATUS_KEYS ? t(CASE_STATUS_KEYS[text(key) as CaseStatus]) : text(key));
  const outcome = (key: string) => (text(key) in OUTCOME_KEYS ? t(OUTCOME_KEYS[text(key) as CaseOutcome]) : text(key));
  const withReason = (sentence: string) => (text('reason') === '' ? sentence : t('caseEvent.withReason', { sentence, reason: text('reason') }));
  switch (entry.action) {
    case 'opened':
      return t('caseEvent.opened', { title: text('title') });
    case 'note_added':
      return t('caseEvent.noteAdded');
    case 'attachment_added':
      return t('caseEvent.attachmentAdded', { name: text('name'), size: f.bytes(Number(d['size'] ?? 0)), sha256: text('sha256').slice(0, 12) });
    case 'assigned':
      return d['assigneeId'] === null ? t('caseEvent.unassigned') : t('caseEvent.assigned', { assignee: text('assigneeId') });
    case 'due_date_set':
      return d['dueAt'] === null ? t('caseEvent.dueCleared') : t('caseEvent.dueSet', { date: f.date(text('dueAt')) });
    case 'status_changed':
      return withReason(t('caseEvent.statusChanged', { from: status('from'), to: status('to') }));
    case 'close_requested':
      return withReason(t('caseEvent.closeRequested', { outcome: outcome('outcome') }));
    case 'closed':
      return t('caseEvent.closed', { outcome: outcome('outcome'), count: Number(d['flagsLabelled'] ?? 0) });
    case 'close_rejected':
      return withReason(t('caseEvent.closeRejected'));
    case 'flags_added':
      return t('caseEvent.flagsAdded', { count: Array.isArray(d['flagIds']) ? d['flagIds'].length : 0 });
    default:
      return Object.keys(d).length === 0 ? entry.action : `${entry.action} ${JSON.stringify(d)}`;
  }
}
