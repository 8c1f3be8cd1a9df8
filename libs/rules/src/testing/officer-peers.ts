import { binomialUpperTail, mad, median, robustZ } from '@qadaga/statistics';

/**
 * Builds officer facts the way the platform's fact computation does (peers are the other
 * officers of the same unit and role), using this lib's own statistics, so the pack's
 * rules can be tried on groups of officers that look like real ones.
 */
export interface OfficerCounts {
  id: string;
  unit: string;
  role: string;
  decisions: number;
  adverseActions: number;
  speedEdits?: number;
  speedEditsDownBelowBand?: number;
  assigned?: number;
  expiredAssigned?: number;
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

export function officerFacts(officers: readonly OfficerCounts[]): { id: string; facts: Record<string, unknown> }[] {
  return officers.map((officer) => {
    const peers = officers.filter((other) => other.id !== officer.id && other.unit === officer.unit && other.role === officer.role);
    const unitOfficers = officers.filter((other) => other.unit === officer.unit);
    const adverseShare = share(officer.adverseActions, officer.decisions);
    const peerShares = peers.map((peer) => share(peer.adverseActions, peer.decisions));
    const pooledRate = share(
      peers.reduce((sum, peer) => sum + peer.adverseActions, 0),
      peers.reduce((sum, peer) => sum + peer.decisions, 0),
    );
    const speedShare = share(officer.speedEditsDownBelowBand ?? 0, officer.speedEdits ?? 0);
    const peerSpeedShares = peers.map((peer) => share(peer.speedEditsDownBelowBand ?? 0, peer.speedEdits ?? 0));
    const expiredShare = share(officer.expiredAssigned ?? 0, officer.assigned ?? 0);
    const unitExpired = share(
      unitOfficers.reduce((sum, other) => sum + (other.expiredAssigned ?? 0), 0),
      unitOfficers.reduce((sum, other) => sum + (other.assigned ?? 0), 0),
    );
    const peerExpiredShares = peers.map((peer) => share(peer.expiredAssigned ?? 0, peer.assigned ?? 0));
    const hasPeers = peers.length > 0;
    return {
      id: officer.id,
      facts: {
        unit: officer.unit,
        role: officer.role,
        decisions: officer.decisions,
        adverseActions: officer.adverseActions,
        adverseShare,
        peerCount: peers.length,
        peerAdverseMedian: hasPeers ? median(peerShares) : null,
        peerAdverseMad: hasPeers ? mad(peerShares) : null,
        adverseRobustZ: hasPeers ? robustZ(adverseShare, median(peerShares), mad(peerShares)) : null,
        adversePValue: hasPeers ? binomialUpperTail(officer.adverseActions, officer.decisions, pooledRate) : null,
        speedEdits: officer.speedEdits ?? 0,
        speedEditsDownBelowBand: officer.speedEditsDownBelowBand ?? 0,
        speedDowngradeShare: speedShare,
        peerSpeedDowngradeMedian: hasPeers ? median(peerSpeedShares) : null,
        speedDowngradeRobustZ: hasPeers ? robustZ(speedShare, median(peerSpeedShares), mad(peerSpeedShares), { madFloor: 0.02 }) : null,
        assigned: officer.assigned ?? 0,
        expiredAssigned: officer.expiredAssigned ?? 0,
        expiredShare,
        unitExpiredShare: unitExpired,
        expiredUnitRatio: unitExpired > 0 ? expiredShare / unitExpired : 0,
        peerExpiredMedian: hasPeers ? median(peerExpiredShares) : null,
        expiredRobustZ: hasPeers ? robustZ(expiredShare, median(peerExpiredShares), mad(peerExpiredShares), { madFloor: 0.01 }) : null,
        evidenceEventIds: [`${officer.id}-evidence`],
      },
    };
  });
}
