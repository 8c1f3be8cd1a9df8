import canonicalize from 'canonicalize';
import type { LifecycleEvent } from '@qadaga/domain';
import { GENESIS_HASH, chainLink, contentHash, sha256Hex } from '@qadaga/domain/hashing';
import type { BundleEvent, BundleFlag, BundleInput, BundleRuleVersion, ChainLinkRecord, ChainProofSegment } from '../bundle/bundle-input.js';
import { signCheckpoint } from '../signing/checkpoint.js';
import type { KeyRing } from '../signing/key-ring.js';

const TYPES = ['detected', 'confirmed', 'notice_issued', 'cancelled'] as const;

/**
 * A ledger made in memory with real hashes and links, and a bundle input over it: for
 * the bundle's own tests and its benchmark, where no database is involved. Every
 * `stride`-th position is included as a case event; the rest appear only as links.
 */
export function syntheticLedger(options: { events: number; chains?: number; stride?: number; tail?: number }): { chains: Map<string, BundleEvent[]> } {
  const chainCount = options.chains ?? 2;
  const chains = new Map<string, BundleEvent[]>();
  const perChain = Math.ceil(options.events / chainCount);
  for (let c = 0; c < chainCount; c += 1) {
    const chainId = `cam-${c}/0`;
    const rows: BundleEvent[] = [];
    let previous = GENESIS_HASH;
    for (let i = 0; i < perChain + (options.tail ?? 0); i += 1) {
      const seq = i + 1;
      const event: LifecycleEvent = {
        source: `cam-${c}`,
        eventId: `cam-${c}-${seq}`,
        violationRef: `V-${c}-${Math.floor(i / 4)}`,
        type: TYPES[i % 4] as LifecycleEvent['type'],
        occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
        actor: { kind: 'officer', id: `O${(i % 7) + 1}`, unit: 'U1' },
        payload: { article: '592', plate: `${100 + (i % 50)}ABC02`, speed: 80 + (i % 30) },
      } as LifecycleEvent;
      const hash = contentHash(event);
      previous = chainLink(seq, previous, hash);
      rows.push({ event, chainId, chainSeq: seq, contentHash: hash, chainHash: previous, receivedAt: event.occurredAt });
    }
    chains.set(chainId, rows);
  }
  return { chains };
}

export function syntheticRule(ruleId = 'officer-dismissal-share', version = 1): BundleRuleVersion {
  const definition = {
    id: ruleId,
    name: 'Officer cancels an unusual share of confirmed fines',
    parameters: { minShare: { default: 0.3, min: 0, max: 1, description: 'Smallest share.' } },
    conditions: { all: [{ fact: 'dismissalShare', operator: 'greaterThan', value: { fact: 'params', path: '$.minShare' } }] },
  };
  return { ruleId, version, status: 'published', definition, definitionHash: sha256Hex(canonicalize(definition) ?? ''), authorId: 'author', approvedBy: 'author2', publishedBy: 'author2', publishedAt: '2026-01-01T00:00:00.000Z' };
}

export function syntheticBundleInput(keyRing: KeyRing, options: { events: number; chains?: number; stride?: number; tail?: number; generatedAt?: string }): BundleInput {
  const stride = options.stride ?? 1;
  const { chains } = syntheticLedger(options);
  const included: BundleEvent[] = [];
  const proofs: ChainProofSegment[] = [];
  const heads: { chainId: string; seq: number; hash: string }[] = [];
  for (const [chainId, rows] of chains) {
    const mine = rows.filter((r) => r.chainSeq <= rows.length - (options.tail ?? 0) && (r.chainSeq - 1) % stride === 0);
    included.push(...mine);
    const last = rows.at(-1) as BundleEvent;
    heads.push({ chainId, seq: last.chainSeq, hash: last.chainHash });
    const fromSeq = mine[0]?.chainSeq ?? 1;
    const links: ChainLinkRecord[] = rows.filter((r) => r.chainSeq >= fromSeq).map((r) => ({ seq: r.chainSeq, contentHash: r.contentHash, chainHash: r.chainHash }));
    proofs.push({ chainId, checkpointId: '1', fromSeq, toSeq: last.chainSeq, previousHash: fromSeq === 1 ? GENESIS_HASH : (rows[fromSeq - 2] as BundleEvent).chainHash, links });
  }
  const checkpoint = { id: '1', adHoc: false, ...signCheckpoint({ at: '2026-06-01T00:00:00.000Z', ledgerHeads: heads, accessLogHead: null }, keyRing) };
  const rule = syntheticRule();
  const cited = included.filter((_, i) => i % 10 === 0).slice(0, 50);
  const flag: BundleFlag = {
    id: '00000000-0000-4000-8000-000000000001',
    ruleId: rule.ruleId,
    ruleVersion: rule.version,
    scheme: 'cancellation',
    subjectKind: 'officer',
    subjectId: 'O3',
    status: 'in_case',
    statusReason: 'opened case',
    severity: 'high',
    score: 4.2,
    qValue: 0.003,
    explanation: { en: 'Officer O3 cancelled 41% of confirmed fines against a peer median of 6%.', ru: 'Инспектор O3 отменил 41% подтверждённых штрафов.', kk: 'O3 инспекторы расталған айыппұлдардың 41%-ын жойған.' },
    facts: { dismissalShare: 0.41, confirmed: 120, peerDismissalMedian: 0.06, peerDismissalRate: 0.07, parameters: { minShare: 0.3 } },
    baseline: { peerDismissalMedian: 0.06, peerDismissalRate: 0.07, peerCount: 14 },
    evidence: cited.map((e) => ({ source: e.event.source, eventId: e.event.eventId, contentHash: e.contentHash, chainHash: e.chainHash })),
    unit: 'U1',
    district: 'Almaly',
    windowFrom: '2026-01-01T00:00:00.000Z',
    windowTo: '2026-04-01T00:00:00.000Z',
  };
  return {
    generatedAt: options.generatedAt ?? '2026-06-02T10:00:00.000Z',
    generatedBy: { id: 'u-prosecutor', name: 'A. Prosecutor' },
    reason: 'referral to the prosecutor office',
    productVersion: '0.1.0',
    selection: { flagIds: [flag.id] },
    case: {
      case: { id: 'c-1', number: 'C-2026-0007', title: 'Cancellations by O3', status: 'investigating' },
      notes: [{ id: 'n1', authorId: 'u-prosecutor', authorName: 'A. Prosecutor', at: '2026-05-01T09:00:00.000Z', text: 'Asked unit U1 for the shift roster.' }],
      timeline: [{ at: '2026-04-30T09:00:00.000Z', actor: 'u-prosecutor', actorName: 'A. Prosecutor', action: 'opened', details: { flags: 1 } }],
    },
    rules: [rule],
    flags: [flag],
    events: included,
    eventCount: included.length,
    checkpoints: [checkpoint],
    chainProofs: proofs,
    accessLog: [{ id: 1, at: '2026-05-01T09:00:00.000Z', principal: 'u-prosecutor', action: 'read_case', subjectKind: 'case', subjectId: 'c-1' }],
  };
}
