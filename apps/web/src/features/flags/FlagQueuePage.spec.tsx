// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FlagPage, WorkedFlag } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { FlagQueuePage } from './FlagQueuePage.js';

// The API is faked: what is tested is how the queue shows a total the server stopped counting.
function flag(n: number): WorkedFlag {
  return sampleFlag({
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    ruleId: 'protected-plate',
    scheme: 'protected_plate',
    subjectKind: 'vehicle',
    subjectId: `${String(n).padStart(3, '0')}ABC02`,
    severity: 'high',
    score: 10,
  });
}

function serve(page: FlagPage) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const body = url.startsWith('/v1/flags') ? page : [];
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }),
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the flag queue counts', () => {
  it('says "at least" when the server stopped counting, and pages on while pages come back full', async () => {
    serve({ flags: Array.from({ length: 50 }, (_, i) => flag(i + 1)), total: 1_001, totalExact: false, bySeverity: { critical: 0, high: 1_001, medium: 0, low: 0 } });
    await renderInApp(<FlagQueuePage />);
    expect(await screen.findByText(/at least 1,001 flags match/u)).toBeTruthy();
    expect(screen.getByText('1–50 of at least 1,001')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('gives an exact total as it is, and stops at its last page', async () => {
    serve({ flags: [flag(1), flag(2), flag(3)], total: 3, totalExact: true, bySeverity: { critical: 0, high: 3, medium: 0, low: 0 } });
    await renderInApp(<FlagQueuePage />);
    expect(await screen.findByText(/^3 flags match/u)).toBeTruthy();
    expect(screen.getByText('1–3 of 3')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows what every severity holds, so the lower ones are seen while the first page is all graver', async () => {
    serve({ flags: [flag(1), flag(2)], total: 71, totalExact: true, bySeverity: { critical: 2, high: 34, medium: 32, low: 3 } });
    await renderInApp(<FlagQueuePage />, { locale: 'ru' });
    expect((await screen.findByLabelText('3 сигнала')).textContent).toBe(' (3)');
    expect(screen.getByLabelText('34 сигнала').closest('label')?.textContent).toContain('высокая');
    expect(screen.getByLabelText('2 сигнала').closest('label')?.textContent).toContain('критическая');
  });
});
