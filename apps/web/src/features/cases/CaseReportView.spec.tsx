// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaseDetail, Checkpoint, FlagDetail } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { CaseReportView } from './CaseReportPage.js';

const CONTENT = 'c0'.repeat(32);
const CHAIN = 'd1'.repeat(32);
const FILE_SHA = 'e2'.repeat(32);

const FLAG: FlagDetail = {
  id: '00000000-0000-4000-8000-000000000001',
  ruleId: 'officer-favours-vehicle',
  ruleVersion: 2,
  scheme: 'officer_favours_vehicle',
  subjectKind: 'officer_vehicle',
  subjectId: 'OFF-17|123ABC02',
  status: 'in_case',
  statusReason: null,
  severity: 'high',
  score: 21.3,
  qValue: 1e-12,
  explanation: { en: 'Officer OFF-17 cancelled 38 of 40 detections of plate 123ABC02.', ru: 'Сотрудник OFF-17 отменил 38 из 40 фиксаций номера 123ABC02.' },
  facts: { decisions: 40 },
  baseline: {},
  evidence: [{ source: 'sergek-almaty', eventId: 'ev-1', contentHash: CONTENT, chainHash: CHAIN }],
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
      peers: null,
    },
  ],
  windowFrom: '2026-01-01T00:00:00Z',
  windowTo: '2026-06-30T00:00:00Z',
  firstRaisedAt: '2026-07-01T00:00:00Z',
  lastRaisedAt: '2026-07-01T00:00:00Z',
  evidenceEvents: [
    { source: 'sergek-almaty', eventId: 'ev-1', violationRef: 'ALA-0000042', type: 'cancelled', occurredAt: '2026-03-01T05:15:00.000Z', actor: { kind: 'officer', id: 'OFF-17', unit: 'U1' } },
  ],
  history: [],
  assignee: null,
  dueAt: null,
  comments: [],
};

const CASE: CaseDetail = {
  id: '00000000-0000-4000-8000-0000000000c1',
  number: 'C-2026-0007',
  title: 'Отмены штрафов одного автомобиля',
  status: 'investigating',
  outcome: null,
  assigneeId: '00000000-0000-4000-8000-0000000000a1',
  assignee: { id: '00000000-0000-4000-8000-0000000000a1', displayName: 'Айгерим Прокурор' },
  dueAt: '2026-12-20T18:59:59Z',
  overdue: false,
  flagCount: 1,
  createdBy: 'user:00000000-0000-4000-8000-0000000000a1',
  createdAt: '2026-12-01T04:00:00Z',
  updatedAt: '2026-12-02T04:00:00Z',
  closeRequest: null,
  closedBy: null,
  closedAt: null,
  flagIds: [FLAG.id],
  flags: [],
  notes: [{ id: '1', authorId: 'user:a1', authorName: 'Айгерим Прокурор', at: '2026-12-01T05:00:00Z', text: 'Запросила в подразделении журнал неисправностей камер.' }],
  attachments: [{ id: '00000000-0000-4000-8000-0000000000f1', name: 'журнал.txt', sha256: FILE_SHA, size: 25, mediaType: 'text/plain', addedBy: 'user:a1', at: '2026-12-01T06:00:00Z' }],
  tasks: [
    {
      id: '00000000-0000-4000-8000-0000000000b1',
      title: 'Опросить сотрудника OFF-17',
      owner: { id: '00000000-0000-4000-8000-0000000000a2', displayName: 'Ержан Прокурор' },
      dueAt: '2026-12-10T18:59:59Z',
      status: 'open',
      createdBy: 'user:a1',
      createdByName: 'Айгерим Прокурор',
      createdAt: '2026-12-01T07:00:00Z',
      doneBy: null,
      doneByName: null,
      doneAt: null,
    },
  ],
  timeline: [
    { at: '2026-12-01T04:00:00Z', actor: 'user:a1', actorName: 'Айгерим Прокурор', action: 'opened', details: { title: 'Отмены штрафов одного автомобиля' } },
    {
      at: '2026-12-01T07:00:00Z',
      actor: 'user:a1',
      actorName: 'Айгерим Прокурор',
      action: 'task_added',
      details: { taskId: 'b1', title: 'Опросить сотрудника OFF-17', ownerId: 'a2', ownerName: 'Ержан Прокурор', dueAt: '2026-12-10T18:59:59Z' },
    },
  ],
};

const CHECKPOINT: Checkpoint = {
  id: '42',
  at: '2026-12-02T00:00:00Z',
  ledgerHeads: [{ chainId: 'sergek-almaty', seq: '1200', hash: 'f3'.repeat(32) }],
  accessLogHead: null,
  keyId: 'abcd1234abcd1234',
  publicKey: 'pk',
  signature: 'sig'.repeat(20),
};

afterEach(cleanup);

describe('case report', () => {
  it('prints the case in Russian: its flags with chart and facts, the hashes that tie them to the ledger, tasks and the timeline', async () => {
    await renderInApp(<CaseReportView detail={CASE} flags={[{ id: FLAG.id, detail: FLAG, error: null }]} checkpoint={CHECKPOINT} printedBy="Айгерим Прокурор" generatedAt="2026-12-03T06:30:00Z" />, {
      locale: 'ru',
    });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Отчёт по делу C-2026-0007');
    expect(screen.getByText(/^Сформирован .+, распечатал\(а\): Айгерим Прокурор$/u)).toBeTruthy();
    expect(screen.getByText('Отмены штрафов одного автомобиля', { selector: 'dd' })).toBeTruthy();
    expect(screen.getByText('ещё не принят')).toBeTruthy();

    const flag = screen.getByRole('region', { name: /^Сигнал 1 из 1: Сотрудник покровительствует автомобилю$/u });
    expect(within(flag).getByText('Сотрудник OFF-17 отменил 38 из 40 фиксаций номера 123ABC02.')).toBeTruthy();
    const chart = within(flag).getByRole('figure', { name: 'Отклонений и отмен этого номера этим сотрудником' });
    expect(chart.textContent).toContain('Порог 3 (выше порога)');
    expect(within(flag).getByRole('table', { name: 'Что сравнило правило' }).textContent).toContain('38');
    const evidence = within(flag).getByRole('table', { name: /^События, на которых основан сигнал/u });
    expect(within(evidence).getByLabelText(`Хеш содержимого ${CONTENT}`).textContent).toBe(CONTENT);
    expect(within(evidence).getByLabelText(`Хеш цепочки ${CHAIN}`).textContent).toBe(CHAIN);
    expect(evidence.textContent).toContain('ALA-0000042');

    const tasks = screen.getByRole('table', { name: 'Задачи' });
    expect(within(tasks).getByRole('row', { name: /Опросить сотрудника OFF-17/u }).textContent).toMatch(/Ержан Прокурор.*не выполнена/u);
    expect(screen.getByRole('table', { name: 'Вложения' }).textContent).toContain(FILE_SHA);
    expect(screen.getByRole('list', { name: 'Заметки' }).textContent).toContain('журнал неисправностей');
    const timeline = screen.getByRole('list', { name: 'Хронология' });
    expect(timeline.textContent).toContain('Айгерим Прокурор открыл(а) дело «Отмены штрафов одного автомобиля»');
    expect(timeline.textContent).toMatch(/поручил\(а\) задачу «Опросить сотрудника OFF-17»: Ержан Прокурор, срок — 10 дек\. 2026/u);

    const heads = screen.getByRole('table', { name: 'Последняя подписанная контрольная точка реестра' });
    expect(within(heads).getByRole('row', { name: /sergek-almaty/u }).textContent).toContain('f3'.repeat(32));
    expect(screen.getByLabelText(`Подпись ${CHECKPOINT.signature}`)).toBeTruthy();
  });

  it('prints with the Print button, says when no checkpoint is signed yet, and when a flag could not be read', async () => {
    // happy-dom has no print dialog: the button's call is what is checked.
    const print = vi.fn();
    const original = window.print;
    window.print = print;
    await renderInApp(
      <CaseReportView detail={CASE} flags={[{ id: FLAG.id, detail: null, error: new Error('нет доступа') }]} checkpoint={null} printedBy="Айгерим Прокурор" generatedAt="2026-12-03T06:30:00Z" />,
      { locale: 'ru' },
    );
    screen.getByRole('button', { name: 'Печать' }).click();
    expect(print).toHaveBeenCalledOnce();
    expect(screen.getByRole('alert').textContent).toBe('Не удалось прочитать сигнал: нет доступа');
    expect(screen.getByText(/^Контрольная точка ещё не подписана/u)).toBeTruthy();
    window.print = original;
  });
});
