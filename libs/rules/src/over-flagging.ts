/**
 * The share of the subjects a rule judges past which its flags say more about the rule than
 * about the subjects. A rule points at the few who stand out from their peers; one that flags
 * a quarter of all officers, plates or units is a threshold set inside the ordinary spread
 * (or a condition that always holds), and its flags would bury the real ones in the queue.
 * A backtest warns past it and the editor asks the author to confirm before submitting; the
 * server still accepts such a draft (a city with few subjects may have a real cluster).
 */
export const OVER_FLAGGING_SHARE = 0.25;

/** The share of judged subjects a set of flags covers, and whether it is past OVER_FLAGGING_SHARE. */
export function flaggedShare(flagged: number, subjects: number): { flagged: number; subjects: number; share: number; limit: number; exceeded: boolean } {
  const share = subjects === 0 ? 0 : flagged / subjects;
  return { flagged, subjects, share, limit: OVER_FLAGGING_SHARE, exceeded: share > OVER_FLAGGING_SHARE };
}
