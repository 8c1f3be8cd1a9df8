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
    case 'close_requested': {
      const asked = withReason(t('caseEvent.closeRequested', { outcome: outcome('outcome') }));
      const openTasks = Number(d['openTasks'] ?? 0);
      return openTasks > 0 ? t('caseTasks.event.closeWithOpenTasks', { sentence: asked, count: openTasks }) : asked;
    }
    case 'task_added': {
      const added = text('ownerName') === '' ? t('caseTasks.event.added', { title: text('title') }) : t('caseTasks.event.addedFor', { title: text('title'), owner: text('ownerName') });
      return text('dueAt') === '' ? added : t('caseTasks.event.due', { sentence: added, date: f.date(text('dueAt')) });
    }
    case 'task_done':
      return t('caseTasks.event.done', { title: text('title') });
    case 'task_reopened':
      return t('caseTasks.event.reopened', { title: text('title') });
    case 'closed':
      return t('caseEvent.closed', { outcome: outcome('outcome'), count: Number(d['flagsLabelled'] ?? 0) });
    case 'close_rejected':
      return withReason(t('caseEvent.closeRejected'));
    case 'flags_added':
      return t('caseEvent.flagsAdded', { count: Array.isArray(d['flagIds']) ? d['flagIds'].length : 0 });
    case 'bundle_requested':
      return withReason(t('bundles.caseEvent.requested', { file: text('fileName') }));
    case 'bundle_built':
      return t('bundles.caseEvent.built', { file: text('fileName'), size: f.bytes(Number(d['size'] ?? 0)), sha256: text('sha256').slice(0, 12) });
    case 'bundle_failed':
      return t('bundles.caseEvent.failed', { file: text('fileName'), error: text('error') });
    case 'bundle_downloaded':
      return t('bundles.caseEvent.downloaded', { file: text('fileName'), sha256: text('sha256').slice(0, 12) });
    default:
      return Object.keys(d).length === 0 ? entry.action : `${entry.action} ${JSON.stringify(d)}`;
  }
}
