// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlagDetail } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { FlagDetailView } from './FlagDetailPage.js';

const FLAG: FlagDetail = {
  id: '00000000-0000-4000-8000-000000000001',
  ruleId: 'officer-favours-vehicle',
  ruleVersion: 2,
  scheme: 'officer_favours_vehicle',
  subjectKind: 'officer_vehicle',
  subjectId: 'OFF-17|123АВС02',
  status: 'new',
  statusReason: null,
  severity: 'high',
  score: 21.3,
  qValue: 1e-12,
  explanation: { en: 'Officer OFF-17 cancelled 38 of 40 detections of plate 123ABC02.', ru: 'Сотрудник OFF-17 отменил 38 из 40 фиксаций номера 123ABC02.', kk: 'OFF-17 қызметкері 40 тіркеудің 38-ін жойды.' },
  facts: { adverseShare: 0.95, adverseRobustZ: 14.2, decisions: 40, parameters: { minRobustZ: 3.5 } },
  baseline: { peerAdverseMedian: 0.04, peerAdverseMad: 0.01 },
  evidence: [{ source: 'sergek-almaty', eventId: 'ev-1', contentHash: 'a'.repeat(64), chainHash: 'b'.repeat(64) }],
  unit: 'U1',
  district: 'Almaly',
  label: null,
  display: [],
  windowFrom: '2026-01-01T00:00:00Z',
  windowTo: '2026-06-30T19:00:00Z',
  firstRaisedAt: '2026-07-01T00:00:00Z',
  lastRaisedAt: '2026-07-01T00:00:00Z',
  history: [{ at: '2026-07-01T00:00:00Z', actor: 'rule:officer-favours-vehicle@2', action: 'raised', from: null, to: 'new', reason: null }],
};

afterEach(cleanup);

describe('flag detail', () => {
  it('reads the explanation in the chosen language, with the numbers and the peers behind it', async () => {
    await renderInApp(<FlagDetailView flag={FLAG} />, { locale: 'ru' });
    expect(screen.getByLabelText('Объяснение').textContent).toBe('Сотрудник OFF-17 отменил 38 из 40 фиксаций номера 123ABC02.');
    const facts = screen.getByRole('table', { name: 'Факты' });
    expect(within(facts).getByRole('row', { name: /decisions/u }).textContent).toContain('40');
    const chart = screen.getByRole('table', { name: 'Значения на графике' });
    expect(within(chart).getByRole('row', { name: /Этот объект/u }).textContent).toContain('95');
    expect(within(chart).getByRole('row', { name: /Коллеги · медиана/u }).textContent).toContain('4');
  });

  it('links both the officer and the vehicle, shows the plate as received and normalised, and lists evidence hashes', async () => {
    await renderInApp(<FlagDetailView flag={FLAG} />);
    expect(screen.getByRole('link', { name: 'Officer profile OFF-17' }).getAttribute('href')).toBe('/profiles/officer/OFF-17');
    const vehicle = screen.getByRole('link', { name: 'Vehicle profile 123АВС02' });
    expect(vehicle.getAttribute('href')).toBe(`/profiles/vehicle/${encodeURIComponent('123АВС02')}`);
    expect(within(vehicle).getByLabelText('Normalised plate').textContent).toBe('123ABC02');
    expect(screen.getByLabelText(`Content hash ${'a'.repeat(64)}`)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Evidence: 1 event' })).toBeTruthy();
  });

  it('formats dates in the Almaty time zone whatever the machine zone', async () => {
    await renderInApp(<FlagDetailView flag={FLAG} />);
    // 19:00 UTC on 30 June is already 1 July in Almaty (UTC+5).
    expect(screen.getByText(/1 Jan 2026 – 1 Jul 2026/u)).toBeTruthy();
  });
});
