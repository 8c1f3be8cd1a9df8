import { isAbsent, onShift, shiftWindowsAfter, workTimeBefore, type Officer, type Window } from '../city/roster.js';
import type { Detection } from '../city/traffic.js';
import { issueNoticeNormally } from '../lifecycle/natural.js';
import type { Story } from '../lifecycle/story.js';
import type { Rng } from '../random.js';
import { HOUR, MINUTE } from '../time.js';

/** Accepts detections the officer could have been queued while at work (on shift for the next half hour). */
export function duringShiftOf(officer: Officer): (d: Detection) => boolean {
  return (d) => onShift(officer, d.at) && onShift(officer, d.at + 30 * MINUTE) && !isAbsent(officer, d.at);
}

/** The normal register steps after a confirmation: notice in the next batch, delivered. */
export function noticeDelivered(story: Story): void {
  issueNoticeNormally(story);
  story.deliver();
}

/** A random shift window of the officer starting in [from, to). */
export function shiftWindowBetween(officer: Officer, rng: Rng, from: number, to: number): Window | undefined {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const w = shiftWindowsAfter(officer, rng.between(from, to), 1)[0];
    if (w !== undefined && w.end < to && !isAbsent(officer, w.start) && !isAbsent(officer, w.end - 1)) return w;
  }
  return undefined;
}

/**
 * A working-hours moment of the officer 2-46 hours before a deadline: the "cancel just
 * before it bites" signal. Falls back to three hours before it when the officer's
 * hours leave no slot in the 48 hours (a weekend), since the signal is the point.
 */
export function justBefore(officer: Officer, deadline: number, rng: Rng): number {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const at = workTimeBefore(officer, deadline - rng.between(2 * HOUR, 40 * HOUR), rng);
    if (at > deadline - 46 * HOUR && at < deadline - HOUR) return at;
  }
  return deadline - 3 * HOUR;
}
