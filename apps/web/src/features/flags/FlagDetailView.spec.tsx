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
  display: [
    {
      fact: 'cancellationsOfPlate',
      unit: 'count',
      value: 38,
      threshold: { value: 3, parameter: 'minCancellations', fact: null },
      direction: 'above',
      inclusive: true,
      strength: 12.7,
      peers: {
        scope: 'officer',
        group: { officerId: 'OFF-17' },
        values: [
          { subjectId: 'OFF-17|777AAA02', value: 1, self: false },
          { subjectId: 'OFF-17|123АВС02', value: 38, self: true },
        ],
        total: 2,
        omitted: 0,
        withoutValue: 0,
      },
    },
  ],
  windowFrom: '2026-01-01T00:00:00Z',
  windowTo: '2026-06-30T19:00:00Z',
  firstRaisedAt: '2026-07-01T00:00:00Z',
  lastRaisedAt: '2026-07-01T00:00:00Z',
  assignee: null,
  dueAt: null,
  comments: [],
  evidenceEvents: [
    { source: 'sergek-almaty', eventId: 'ev-1', violationRef: 'ALA-0000042', type: 'cancelled', occurredAt: '2026-03-01T05:15:00.000Z', actor: { kind: 'officer', id: 'OFF-17', unit: 'U1' } },
  ],
  history: [{ at: '2026-07-01T00:00:00Z', actor: 'rule:officer-favours-vehicle@2', actorName: null, action: 'raised', from: null, to: 'new', reason: null }],
};

afterEach(cleanup);

describe('flag detail', () => {
  it('reads the explanation in the chosen language, with the fact that fired it against its limit', async () => {
    await renderInApp(<FlagDetailView flag={FLAG} />, { locale: 'ru' });
    expect(screen.getByLabelText('Объяснение').textContent).toBe('Сотрудник OFF-17 отменил 38 из 40 фиксаций номера 123ABC02.');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('Сотрудник покровительствует автомобилю');
    const chart = screen.getByRole('figure', { name: 'Отклонений и отмен этого номера этим сотрудником' });
    expect(chart.textContent).toContain('38');
    expect(chart.textContent).toContain('Порог 3 (выше порога)');
    const used = screen.getByRole('table', { name: 'Что сравнило правило' });
    const row = within(used).getByRole('row', { name: /Отклонений и отмен этого номера/u });
    expect(row.textContent).toContain('38');
    expect(row.textContent).toContain('3');
    // Every other fact is named in words, behind a toggle.
    expect(screen.getByText('Остальные факты (3)')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Факты' })).getByRole('row', { name: /Решений/u }).textContent).toContain('40');
    // The history in words: which rule raised it, and the statuses by name.
    expect(document.querySelector('ol.timeline')?.textContent).toContain('правило officer-favours-vehicle, версия 2: сигнал поднят');
    expect(document.querySelector('ol.timeline')?.textContent).toContain('новый');
  });

  it('groups the evidence by violation, with the step, its Almaty time and its actor in words', async () => {
    await renderInApp(<FlagDetailView flag={FLAG} />, { locale: 'kk' });
    const link = screen.getByRole('link', { name: 'Бұзушылық ALA-0000042' });
    expect(link.getAttribute('href')).toBe('/violations/ALA-0000042');
    const steps = screen.getByRole('table', { name: 'Бұзушылық ALA-0000042' });
    const row = within(steps).getAllByRole('row')[1];
    expect(row?.textContent).toContain('жойылды');
    expect(row?.textContent).toContain('2026 ж. 01 нау., 10:15');
    expect(row?.textContent).toContain('қызметкер OFF-17');
  });

  it('says a flag stored before rules declared their display has no chart, and still lists its facts', async () => {
    await renderInApp(<FlagDetailView flag={{ ...FLAG, display: [] }} />);
    expect(screen.queryByRole('figure')).toBeNull();
    expect(screen.getByText(/raised before rules declared what to draw/u)).toBeTruthy();
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
