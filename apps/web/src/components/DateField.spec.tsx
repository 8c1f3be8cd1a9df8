// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderInApp } from '../testing/render.js';
import { DateField, readDay, writeDay } from './DateField.js';

afterEach(cleanup);

describe('a day typed in the app\u2019s language', () => {
  it('reads the ways people write a day and refuses days that do not exist', () => {
    expect(readDay('07.12.2026')).toBe('2026-12-07');
    expect(readDay('7/12/2026')).toBe('2026-12-07');
    expect(readDay('2026-12-07')).toBe('2026-12-07');
    expect(readDay('30.02.2026')).toBeNull();
    expect(readDay('12/31/2026')).toBeNull();
    expect(writeDay('2026-12-07', 'kk')).toBe('07.12.2026');
    expect(writeDay('2026-12-07', 'en')).toBe('07/12/2026');
  });

  it('shows and takes the day as the Kazakh reader writes it, whatever the browser\u2019s language', async () => {
    const onChange = vi.fn();
    await renderInApp(<DateField label="Бастап" value="2026-03-01" onChange={onChange} />, { locale: 'kk' });
    const input = screen.getByLabelText('Бастап') as HTMLInputElement;
    expect(input.value).toBe('01.03.2026');
    expect(input.placeholder).toBe('кк.аа.жжжж');
    fireEvent.change(input, { target: { value: '07.12.2026' } });
    expect(onChange).toHaveBeenLastCalledWith('2026-12-07');
    fireEvent.change(input, { target: { value: '31.02.2026' } });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('бұл күн емес: кк.аа.жжжж түрінде жазыңыз')).toBeTruthy();
    expect(onChange).toHaveBeenCalledTimes(1);
  });
});
