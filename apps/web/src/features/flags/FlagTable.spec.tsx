// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Flag } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { FlagTable, sortFlags, type Sort } from './FlagTable.js';

function flag(n: number, severity: Flag['severity'], score: number): Flag {
  return sampleFlag({ id: `00000000-0000-4000-8000-00000000000${n}`, subjectId: `OFF-${n}`, severity, score, lastRaisedAt: `2026-07-0${n}T10:00:00Z` });
}

const FLAGS = [flag(1, 'medium', 5), flag(2, 'critical', 3), flag(3, 'high', 9)];

/** The table with the state a page would hold, recording what was opened. */
function Harness({ opened }: { opened: string[] }) {
  const [sort, setSort] = useState<Sort | null>(null);
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState(new Set<string>());
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <FlagTable
      flags={sortFlags(FLAGS, sort)}
      sort={sort}
      onSort={setSort}
      active={active}
      onActive={setActive}
      selected={selected}
      onToggle={toggle}
      onToggleAll={(ids, on) => setSelected(on ? new Set(ids) : new Set())}
      onOpen={(id) => opened.push(id)}
    />
  );
}

const bodyRows = () => screen.getAllByRole('row').slice(1);

afterEach(cleanup);

describe('flag queue table', () => {
  it('keeps the order of the queue until a column is chosen, then sorts the page by it', async () => {
    await renderInApp(<Harness opened={[]} />);
    expect(bodyRows().map((r) => within(r).getByRole('link').textContent)).toEqual(['OFF-1', 'OFF-2', 'OFF-3']);
    expect(screen.getByRole('columnheader', { name: /Severity/u }).getAttribute('aria-sort')).toBe('none');
    fireEvent.click(screen.getByRole('button', { name: /^Severity/u }));
    expect(bodyRows().map((r) => within(r).getByRole('link').textContent)).toEqual(['OFF-2', 'OFF-3', 'OFF-1']);
    fireEvent.click(screen.getByRole('button', { name: /^Score/u }));
    expect(bodyRows().map((r) => within(r).getByRole('link').textContent)).toEqual(['OFF-3', 'OFF-1', 'OFF-2']);
    expect(screen.getByRole('columnheader', { name: /Score/u }).getAttribute('aria-sort')).toBe('descending');
  });

  it('moves with j/k and the arrows, selects with x and opens with Enter', async () => {
    const opened: string[] = [];
    await renderInApp(<Harness opened={opened} />);
    expect(bodyRows()[0]?.getAttribute('aria-current')).toBe('true');
    fireEvent.keyDown(document.body, { key: 'j' });
    fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    expect(bodyRows()[2]?.getAttribute('aria-current')).toBe('true');
    fireEvent.keyDown(document.body, { key: 'k' });
    fireEvent.keyDown(document.body, { key: 'x' });
    expect((screen.getByRole('checkbox', { name: 'Select flag about OFF-2' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Select flag about OFF-3' }) as HTMLInputElement).checked).toBe(false);
    fireEvent.keyDown(document.body, { key: 'Enter' });
    expect(opened).toEqual([FLAGS[1]?.id]);
  });

  it('leaves keys typed into a text field alone', async () => {
    await renderInApp(
      <>
        <input aria-label="note" />
        <Harness opened={[]} />
      </>,
    );
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'note' }), { key: 'j' });
    expect(bodyRows()[0]?.getAttribute('aria-current')).toBe('true');
  });

  it('selects every row of the page at once', async () => {
    await renderInApp(<Harness opened={[]} />);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all flags on this page' }));
    expect(screen.getAllByRole('checkbox', { name: /Select flag about/u }).every((c) => (c as HTMLInputElement).checked)).toBe(true);
  });

  it('shows the severity and status in the chosen language', async () => {
    await renderInApp(<Harness opened={[]} />, { locale: 'ru' });
    expect(screen.getByText('критическая')).toBeTruthy();
    expect(screen.getAllByText('новый')).toHaveLength(3);
  });
});
