import type { LifecycleEvent } from '@qadaga/domain';
import type { CityModel } from '../city/model.js';
import type { Officer } from '../city/roster.js';
import { Rng, STREAM, mixSeed } from '../random.js';
import { DAY, MINUTE, SECOND } from '../time.js';
import type { Directive, PlanEffects } from './directive.js';
import { assignFromQueue, decisionTime, drawQuirk, naturalAfterConfirm, naturalReview, type PreviousDetection, type ReviewResult } from './natural.js';
import { OfficerClock } from './officer-clock.js';
import { Story, type Omission } from './story.js';

/** A step a violation's story left undone, overdue by the city's end. */
export interface OverdueOmission {
  scheme: Omission['scheme'];
  ref: string;
}

/**
 * Tells violations one at a time, in detection order. The only memory carried from one
 * violation to the next is the officers' clocks (pruned as time moves on) and the
 * previous detection (which a duplicate copies): the stream runs in flat memory.
 */
export class StoryTeller {
  private readonly clock = new OfficerClock();
  private previous: PreviousDetection | undefined;
  /** Every omission told so far that is overdue by the end, in detection order. */
  readonly overdue: OverdueOmission[] = [];

  constructor(
    private readonly model: CityModel,
    private readonly plan: PlanEffects,
  ) {
    for (const mark of plan.exactMarks) this.clock.mark(mark.officerId, mark.at);
  }

  tell(index: number): LifecycleEvent[] {
    const detection = this.model.traffic.draw(index);
    const directive = this.plan.directives.get(index) ?? this.cameraWindow(detection.camera.id, detection.at);
    const story = new Story(this.model, this.clock, detection, new Rng(mixSeed(this.model.seed, STREAM.lifecycle, index)));
    if (directive === undefined) this.tellNatural(story);
    else this.tellDirected(story, directive);
    if ((index & 1023) === 0) this.clock.prune(detection.at - 2 * DAY);
    const events = story.finish();
    for (const o of story.omissions) this.overdue.push({ scheme: o.scheme, ref: story.ref });
    return events;
  }

  private cameraWindow(cameraId: string, at: number): Directive | undefined {
    for (const w of this.plan.cameraWindows) if (w.cameraId === cameraId && at >= w.from && at < w.to) return w.directive;
    return undefined;
  }

  private shortageShare(story: Story): number {
    let share = 0;
    for (const s of this.plan.shortages) if (s.unit === story.camera.unit && story.detectedAt >= s.from && story.detectedAt < s.to) share = Math.max(share, s.sitShare);
    return share;
  }

  private tellNatural(story: Story): void {
    const quirk = drawQuirk(story, this.previous);
    this.previous = { camera: story.camera, vehicle: story.vehicle, plateReceived: story.plateReceived, excess: story.excess, at: story.detectedAt };
    assignFromQueue(story);
    const officer = story.assignedTo as Officer;
    const result = naturalReview(story, quirk, this.plan.behaviours.get(officer.id), this.shortageShare(story));
    this.conclude(story, result, undefined);
  }

  private tellDirected(story: Story, d: Directive): void {
    if (d.camera !== undefined) story.camera = d.camera;
    if (d.vehicle !== undefined) {
      story.vehicle = d.vehicle;
      story.plateReceived = d.vehicle.plate;
    }
    if (d.plateReceived !== undefined) story.plateReceived = d.plateReceived;
    story.plate = story.plateReceived;
    if (d.excess !== undefined) {
      story.excess = d.excess;
      story.currentExcess = d.excess;
    }
    if (d.assign === undefined) assignFromQueue(story);
    else story.assign(d.assign.officer, d.assign.at ?? story.detectedAt + story.rng.between(30 * SECOND, 10 * MINUTE));
    const officer = story.assignedTo as Officer;
    const review = d.review ?? { kind: 'natural' };
    let result: ReviewResult;
    switch (review.kind) {
      case 'natural':
        result = naturalReview(story, 'clean', this.plan.behaviours.get(officer.id));
        break;
      case 'confirm': {
        const at = review.at ?? decisionTime(story, officer, { fast: review.fast === true });
        story.confirm(officer, at, review.workstation);
        result = 'confirmed';
        break;
      }
      case 'reject':
        story.reject(officer, decisionTime(story, officer), review.reason, review.reasonText);
        result = 'rejected';
        break;
      case 'sit':
        result = 'sat';
        break;
      case 'hold':
        result = 'held';
        break;
    }
    this.conclude(story, result, d);
  }

  private conclude(story: Story, result: ReviewResult, d: Directive | undefined): void {
    if (result === 'sat') story.expire();
    else if (result === 'held') d?.after?.(story);
    else if (result === 'confirmed') {
      if (d?.after !== undefined) d.after(story);
      else naturalAfterConfirm(story);
    }
  }
}
