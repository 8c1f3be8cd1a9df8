// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { VehicleProfile } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { VehicleProfileView } from './ProfilePages.js';

const VEHICLE: VehicleProfile = {
  plate: { received: '123 АВС 02', plateKey: '123ABC02', seenAs: ['123 АВС 02'] },
  registered: { plate: '123 АВС 02', kind: 'car' },
  totals: { violations: 3, byStatus: { paid: 2, cancelled: 1 } },
  months: [{ month: '2026-03', total: 3, byStatus: { paid: 2, cancelled: 1 } }],
  cancellations: [],
  officers: [],
  flags: [],
  withheldForRecusal: 0,
};

afterEach(cleanup);

describe('vehicle profile', () => {
  it('says how many entries were left out for recusal, in the reader’s language', async () => {
    await renderInApp(<VehicleProfileView profile={{ ...VEHICLE, withheldForRecusal: 2 }} />, { locale: 'en' });
    expect(screen.getByRole('note').textContent).toBe('2 entries about your own officer record or unit are left out: you are recused from them.');
    cleanup();
    await renderInApp(<VehicleProfileView profile={{ ...VEHICLE, withheldForRecusal: 5 }} />, { locale: 'ru' });
    expect(screen.getByRole('note').textContent).toMatch(/^Скрыто 5 записей/u);
  });

  it('says nothing when nothing was left out', async () => {
    await renderInApp(<VehicleProfileView profile={{ ...VEHICLE, withheldForRecusal: 0 }} />, { locale: 'kk' });
    expect(screen.queryByRole('note')).toBeNull();
  });
});
