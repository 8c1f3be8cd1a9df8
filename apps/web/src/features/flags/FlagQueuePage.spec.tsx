// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Flag } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { FlagQueuePage } from './FlagQueuePage.js';

// The API is faked: what is tested is how the queue shows a total the server stopped counting.
function flag(n: number): Flag {
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

function serve(page: { flags: Flag[]; total: number; totalExact: boolean }) {
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
    serve({ flags: Array.from({ length: 50 }, (_, i) => flag(i + 1)), total: 1_001, totalExact: false });
    await renderInApp(<FlagQueuePage />);
    expect(await screen.findByText(/at least 1,001 flags match/u)).toBeTruthy();
    expect(screen.getByText('1–50 of at least 1,001')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('gives an exact total as it is, and stops at its last page', async () => {
    serve({ flags: [flag(1), flag(2), flag(3)], total: 3, totalExact: true });
    await renderInApp(<FlagQueuePage />);
    expect(await screen.findByText(/^3 flags match/u)).toBeTruthy();
    expect(screen.getByText('1–3 of 3')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
