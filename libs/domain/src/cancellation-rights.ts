/**
 * Who may cancel a fine. Before the notice goes out a reviewer may still drop a detection;
 * once the owner has been told to pay, only a supervisor or the appeals desk may cancel it,
 * so a reviewer cancelling after the notice is what the "cancelled by a role without the
 * right" rule looks for.
 */

/** Roles that may cancel a fine once its notice has gone out. */
export const MAY_CANCEL_AFTER_NOTICE: ReadonlySet<string> = new Set(['supervisor', 'appeals_desk']);

export interface Canceller {
  /** The actor kind of the cancelling event (officer, supervisor, court, system, ...). */
  actorKind: string;
  /** The person's role from HR on the day, or the actor kind where it has none. */
  role: string;
}

/**
 * Whether this canceller may cancel, given whether the notice was already issued. A court
 * decides by law; a system closing a case is judged by the sources-disagree rule instead,
 * since roles bind people.
 */
export function mayCancel(canceller: Canceller, afterNotice: boolean): boolean {
  if (canceller.actorKind === 'court' || canceller.actorKind === 'system') return true;
  return !afterNotice || MAY_CANCEL_AFTER_NOTICE.has(canceller.role);
}
