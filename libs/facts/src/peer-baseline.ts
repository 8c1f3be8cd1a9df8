import { mad, median, robustZ } from '@qadaga/statistics';

export interface PeerBaseline {
  median: number;
  mad: number;
  z: number;
}

/**
 * A value against its peers' values. With no peers there is no baseline (z = 0: nothing
 * to stand out from). The MAD is floored so that, when most peers share one value (MAD
 * 0), a small difference does not become an infinite z.
 */
export function againstPeers(x: number, peers: readonly number[], madFloor: number): PeerBaseline {
  if (peers.length === 0) return { median: 0, mad: 0, z: 0 };
  const m = median(peers);
  const spread = mad(peers);
  return { median: m, mad: spread, z: robustZ(x, m, spread, { madFloor }) };
}

/** Floors per kind of measure: shares move in percentage points, daily counts in units. */
export const SHARE_MAD_FLOOR = 0.01;
export const COUNT_MAD_FLOOR = 1;
