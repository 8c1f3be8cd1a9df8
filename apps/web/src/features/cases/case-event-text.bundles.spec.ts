// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { CaseTimelineEntry } from '@qadaga/contracts/api';
import { formatters } from '../../format/format.js';
import { changeLanguage, i18next } from '../../i18n/i18n.js';
import { caseEventText } from './case-event-text.js';

const entry = (action: string, details: CaseTimelineEntry['details']): CaseTimelineEntry => ({ at: '2026-05-04T05:00:00Z', actor: 'u-1', actorName: 'Marat', action, details });
const sha256 = 'ab'.repeat(32);

async function sentence(e: CaseTimelineEntry, lng: 'en' | 'ru' | 'kk'): Promise<string> {
  await changeLanguage(lng);
  return caseEventText(e, i18next.t.bind(i18next), formatters(lng));
}

describe('the timeline says when a case’s evidence was exported', () => {
  it('names the request with its purpose, the build with its size and hash, a failure, and each download', async () => {
    expect(await sentence(entry('bundle_requested', { bundleId: 'b', reason: 'court request 2-117', fileName: 'C-2026-1-evidence.zip' }), 'en')).toBe(
      'asked for the evidence bundle C-2026-1-evidence.zip: court request 2-117',
    );
    expect(await sentence(entry('bundle_built', { bundleId: 'b', fileName: 'C-2026-1-evidence.zip', sha256, size: 2048 }), 'en')).toMatch(
      /^the evidence bundle C-2026-1-evidence\.zip was built \(2 kB, SHA-256 abababababab…\)$/u,
    );
    expect(await sentence(entry('bundle_failed', { bundleId: 'b', fileName: 'x.zip', error: 'too many events' }), 'en')).toBe('the evidence bundle x.zip could not be built: too many events');
    expect(await sentence(entry('bundle_downloaded', { bundleId: 'b', fileName: 'x.zip', sha256 }), 'ru')).toBe('скачал(а) пакет доказательств x.zip (SHA-256 abababababab…)');
    expect(await sentence(entry('bundle_requested', { bundleId: 'b', reason: '', fileName: 'x.zip' }), 'kk')).toBe('x.zip дәлелдер топтамасын сұрады');
  });
});
