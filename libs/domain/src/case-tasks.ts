/**
 * Tasks a prosecutor keeps on a case (ask the unit for a log, question an officer), and
 * what should stop a case from being closed. A close with work still open is allowed only
 * when the person asking says so in so many words: the outcome then rests on less than
 * was planned, and the record shows they knew. A close without an outcome is never
 * allowed: the outcome labels the case's flags and measures each rule's precision.
 */
import type { CaseOutcome } from './case-workflow.js';

export const CASE_TASK_STATUSES = ['open', 'done'] as const;
export type CaseTaskStatus = (typeof CASE_TASK_STATUSES)[number];

/** Tasks are owned by prosecutors: the people who work the case and answer for it. */
export function mayOwnCaseTasks(roles: readonly string[]): boolean {
  return roles.includes('prosecutor');
}

/** Whether a task may move from one status to another: done once, reopened when it was not. */
export function mayChangeTaskStatus(from: CaseTaskStatus, to: CaseTaskStatus): boolean {
  return from !== to;
}

/** One reason a close should not go ahead; `acknowledgeable` ones go ahead when the asker confirms. */
export type CloseBlocker =
  | { kind: 'open_tasks'; count: number; acknowledgeable: true }
  | { kind: 'missing_outcome'; acknowledgeable: false };

export interface CloseCheckInput {
  /** The statuses of the case's tasks. */
  taskStatuses: readonly CaseTaskStatus[];
  /** The outcome asked for; null or undefined when none was chosen. */
  outcome: CaseOutcome | null | undefined;
}

/** Everything that should stop a close, in the order a reader should hear it: the missing outcome first. */
export function closeBlockers(input: CloseCheckInput): CloseBlocker[] {
  const blockers: CloseBlocker[] = [];
  if (input.outcome === null || input.outcome === undefined) blockers.push({ kind: 'missing_outcome', acknowledgeable: false });
  const open = input.taskStatuses.filter((s) => s === 'open').length;
  if (open > 0) blockers.push({ kind: 'open_tasks', count: open, acknowledgeable: true });
  return blockers;
}

/** The blockers that still stop a close after the asker confirmed they know of the open tasks (or did not). */
export function unresolvedCloseBlockers(blockers: readonly CloseBlocker[], acknowledgeOpenTasks: boolean): CloseBlocker[] {
  return blockers.filter((b) => !(b.kind === 'open_tasks' && acknowledgeOpenTasks));
}
