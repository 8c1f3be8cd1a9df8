// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { CaseTimelineEntry } from '@qadaga/contracts/api';
import { formatters } from '../../format/format.js';
import { changeLanguage, i18next } from '../../i18n/i18n.js';
import { caseEventText } from './case-event-text.js';

const entry = (action: string, details: CaseTimelineEntry['details']): CaseTimelineEntry => ({ at: '2026-05-04T05:00:00Z', actor: 'u-1', actorName: 'Aigerim', action, details });

async function sentence(e: CaseTimelineEntry, lng: 'en' | 'ru' | 'kk'): Promise<string> {
  await changeLanguage(lng);
  return caseEventText(e, i18next.t.bind(i18next), formatters(lng));
}

describe('case timeline sentences', () => {
  it('turns each recorded action and its details into words', async () => {
    expect(await sentence(entry('opened', { title: 'Plate 123ABC02', assigneeId: null, dueAt: null }), 'en')).toBe('opened the case “Plate 123ABC02”');
    expect(await sentence(entry('status_changed', { from: 'open', to: 'investigating', reason: 'pattern confirmed' }), 'en')).toBe(
      'moved the case from “open” to “investigating”: pattern confirmed',
    );
    expect(await sentence(entry('close_requested', { outcome: 'substantiated', reason: 'officer admitted it' }), 'en')).toBe(
      'asked to close the case as “substantiated”: officer admitted it',
    );
    expect(await sentence(entry('closed', { outcome: 'unfounded', requestedBy: 'u-2', flagsLabelled: 3 }), 'en')).toBe('approved the closing as “unfounded”; 3 flags labelled');
    expect(await sentence(entry('flags_added', { flagIds: ['a'] }), 'en')).toBe('added 1 flag');
    expect(await sentence(entry('attachment_added', { attachmentId: 'x', name: 'photo.jpg', sha256: 'ab'.repeat(32), size: 2048 }), 'en')).toMatch(
      /^attached photo\.jpg \(2 kB, SHA-256 abababababab…\)$/u,
    );
    expect(await sentence(entry('due_date_set', { dueAt: null }), 'en')).toBe('removed the due date');
  });

  it('speaks Russian and Kazakh, with the plural forms of each', async () => {
    expect(await sentence(entry('flags_added', { flagIds: ['a', 'b', 'c', 'd', 'e'] }), 'ru')).toBe('добавил(а) 5 сигналов');
    expect(await sentence(entry('flags_added', { flagIds: ['a', 'b'] }), 'ru')).toBe('добавил(а) 2 сигнала');
    expect(await sentence(entry('status_changed', { from: 'open', to: 'referred', reason: null }), 'ru')).toMatch(/^перевёл\(перевела\) дело из «.+» в «.+»$/u);
    expect(await sentence(entry('note_added', { noteId: 'n' }), 'kk')).toBe('жазба қосты');
  });

  it('shows an action it does not know as recorded, never hiding it', async () => {
    expect(await sentence(entry('evidence_sealed', { bundle: 'b-1' }), 'en')).toBe('evidence_sealed {"bundle":"b-1"}');
  });
});
