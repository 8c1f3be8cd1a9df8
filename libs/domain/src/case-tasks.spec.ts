import { describe, expect, it } from 'vitest';
import { closeBlockers, mayChangeTaskStatus, mayOwnCaseTasks, unresolvedCloseBlockers } from './case-tasks.js';

describe('case tasks and what stops a close', () => {
  it('lets a close with an outcome and no open task go ahead', () => {
    expect(closeBlockers({ taskStatuses: [], outcome: 'substantiated' })).toEqual([]);
    expect(closeBlockers({ taskStatuses: ['done', 'done'], outcome: 'unfounded' })).toEqual([]);
  });

  it('counts the open tasks, leaving the done ones out', () => {
    expect(closeBlockers({ taskStatuses: ['open', 'done', 'open'], outcome: 'substantiated' })).toEqual([{ kind: 'open_tasks', count: 2, acknowledgeable: true }]);
  });

  it('names a missing outcome first, and it cannot be waved through', () => {
    const blockers = closeBlockers({ taskStatuses: ['open'], outcome: null });
    expect(blockers.map((b) => b.kind)).toEqual(['missing_outcome', 'open_tasks']);
    expect(unresolvedCloseBlockers(blockers, true)).toEqual([{ kind: 'missing_outcome', acknowledgeable: false }]);
    expect(closeBlockers({ taskStatuses: [], outcome: undefined })).toEqual([{ kind: 'missing_outcome', acknowledgeable: false }]);
  });

  it('lets open tasks through only when the asker confirms them', () => {
    const blockers = closeBlockers({ taskStatuses: ['open'], outcome: 'unfounded' });
    expect(unresolvedCloseBlockers(blockers, false)).toEqual(blockers);
    expect(unresolvedCloseBlockers(blockers, true)).toEqual([]);
  });

  it('gives tasks to prosecutors only', () => {
    expect(mayOwnCaseTasks(['prosecutor'])).toBe(true);
    expect(mayOwnCaseTasks(['prosecutor', 'auditor'])).toBe(true);
    expect(mayOwnCaseTasks(['auditor', 'admin'])).toBe(false);
    expect(mayOwnCaseTasks([])).toBe(false);
  });

  it('marks a task done once and reopens only a done task', () => {
    expect(mayChangeTaskStatus('open', 'done')).toBe(true);
    expect(mayChangeTaskStatus('done', 'open')).toBe(true);
    expect(mayChangeTaskStatus('done', 'done')).toBe(false);
    expect(mayChangeTaskStatus('open', 'open')).toBe(false);
  });
});
