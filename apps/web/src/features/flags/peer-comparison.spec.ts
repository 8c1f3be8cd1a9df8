import { describe, expect, it } from 'vitest';
import { peerComparison } from './peer-comparison.js';

describe('peer comparison from a flag', () => {
  it('puts an officer share against the peers median, the pooled rate and the robust-z limit', () => {
    const c = peerComparison(
      { adverseShare: 0.4, adverseRobustZ: 9.1, decisions: 120, parameters: { minRobustZ: 3.5 } },
      { peerCount: 6, peerAdverseMedian: 0.05, peerAdverseMad: 0.02, peerAdverseRate: 0.06 },
    );
    expect(c).not.toBeNull();
    expect(c?.subjectFact).toBe('adverseShare');
    expect(c?.subject).toBe(0.4);
    expect(c?.references).toEqual([
      { group: 'peer', statistic: 'Median', value: 0.05 },
      { group: 'peer', statistic: 'Rate', value: 0.06 },
    ]);
    expect(c?.limit).toBeCloseTo(0.05 + (3.5 * 0.02) / 0.6745, 10);
    expect(c?.isShare).toBe(true);
  });

  it('draws the measure on which the subject stands out most', () => {
    const c = peerComparison(
      { adverseShare: 0.1, adverseRobustZ: 1.2, expiredShare: 0.7, expiredRobustZ: 12 },
      { peerAdverseMedian: 0.05, peerExpiredMedian: 0.1, unitExpiredShare: 0.12 },
    );
    expect(c?.measure).toBe('expired');
    expect(c?.references.map((r) => `${r.group}${r.statistic}`)).toEqual(['peerMedian', 'unitShare']);
  });

  it('finds a count measure by name and floors a zero MAD as the facts do', () => {
    const c = peerComparison(
      { peakDayCancellations: 140, peakRobustZ: 60, parameters: { minRobustZ: 4 } },
      { dailyCancellationMedian: 2, dailyCancellationMad: 0 },
    );
    expect(c?.subjectFact).toBe('peakDayCancellations');
    expect(c?.isShare).toBe(false);
    expect(c?.limit).toBeCloseTo(2 + 4 / 0.6745, 10);
  });

  it('draws a histogram when the baseline carries each peer value', () => {
    const c = peerComparison({ adverseShare: 0.9 }, { peerAdverseMedian: 0.1, peerAdverseValues: [0, 0.1, 0.1, 0.2, 1] });
    expect(c?.histogram?.reduce((s, b) => s + b.count, 0)).toBe(5);
    expect(c?.histogram?.at(-1)?.count).toBe(1);
  });

  it('has nothing to draw for a rule without a baseline', () => {
    expect(peerComparison({ gapCount: 3 }, {})).toBeNull();
    expect(peerComparison({ x: 1 }, { cityAdverseRate: 0.1 })).toBeNull();
  });
});
