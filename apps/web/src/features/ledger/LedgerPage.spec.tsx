// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Checkpoint, IntegrityAlarm } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { LedgerPage } from './LedgerPage.js';

// The API is faked: what is tested is that an integrity alarm is the first thing an auditor reads.
function serve(alarms: IntegrityAlarm[], checkpoint?: Checkpoint) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      if (url.startsWith('/v1/integrity/alarms')) return new Response(JSON.stringify({ items: alarms }), { status: 200, headers: { 'content-type': 'application/json' } });
      if (url.startsWith('/v1/checkpoints/latest') && checkpoint !== undefined) return new Response(JSON.stringify(checkpoint), { status: 200, headers: { 'content-type': 'application/json' } });
      return new Response(JSON.stringify({ statusCode: 404, message: 'no checkpoint has been signed yet', reasons: [] }), { status: 404, headers: { 'content-type': 'application/json' } });
    }),
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('ledger page', () => {
  it('says first, in the reader’s language, that the product refused to sign the ledger', async () => {
    serve([
      { id: '2', raisedAt: '2026-12-07T06:00:00Z', kind: 'checkpoint_not_extended', message: 'ledger chain sergek-almaty#0 position 42 holds another hash than checkpoint 7 signed', checkpointId: '7', failures: [] },
      { id: '1', raisedAt: '2026-12-07T05:50:00Z', kind: 'checkpoint_not_extended', message: 'the same', checkpointId: '7', failures: [] },
    ]);
    await renderInApp(<LedgerPage />, { locale: 'en' });
    const alarm = await screen.findByRole('alert', { name: 'Integrity alarms' });
    expect(alarm.textContent).toContain('2 integrity alarms: the product refused to sign the ledger as it now is');
    expect(alarm.textContent).toContain('position 42 holds another hash than checkpoint 7 signed');
  });

  it('says there is no alarm when there is none', async () => {
    serve([]);
    await renderInApp(<LedgerPage />, { locale: 'ru' });
    expect(await screen.findByText(/^Тревог нет/u)).toBeTruthy();
    expect(screen.queryByRole('alert', { name: 'Тревоги о нарушении целостности' })).toBeNull();
  });

  it('says so when the latest checkpoint was signed before anything was logged', async () => {
    serve([], { id: '1', at: '2026-12-07T06:00:00Z', ledgerHeads: [{ chainId: 'sergek-almaty/0', seq: '12', hash: 'a'.repeat(64) }], accessLogHead: { lanes: [] }, keyId: 'c7b6b7237a6bd546', publicKey: 'cHVibGlj', signature: 'sig' });
    await renderInApp(<LedgerPage />, { locale: 'en' });
    expect(await screen.findByText('nothing had been logged yet when it was signed')).toBeTruthy();
  });
});
