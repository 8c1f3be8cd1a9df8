import type pg from 'pg';
import { CheckpointRepository } from '@qadaga/db';
import { chainHashAt, chainLinks, chainSpansOfViolations, earliestCheckpointCovering, rowToEvent, violationEventRowsUpTo, violationRefsOfEvents } from '@qadaga/ledger';
import type {
  BundleCase,
  BundleCheckpoint,
  BundleEvent,
  BundleFlag,
  BundleInput,
  BundleRuleVersion,
  ChainProofSegment,
  MaybeAsyncIterable,
  SummaryLocale,
} from '../bundle/bundle-input.js';
import { signCheckpoint } from '../signing/checkpoint.js';
import type { KeyRing } from '../signing/key-ring.js';

export interface BundleQuery {
  subjects?: { kind: string; id: string }[];
  ruleIds?: string[];
  /** ISO 8601; flags whose window overlaps [from, to) are taken. */
  from: string;
  to: string;
  /** Officer ids and units whose flags are left out: the requester's recusal, applied to what they export. */
  excludeSubjects?: string[];
}

export type BundleSelection = { flagIds: string[] } | { query: BundleQuery };

export interface CollectContext {
  /** Signs a checkpoint for chains that no stored checkpoint covers yet. */
  keyRing: KeyRing;
  generatedAt: string;
  generatedBy: { id: string; name?: string };
  reason: string;
  productVersion: string;
  case?: BundleCase | null;
  accessLog?: MaybeAsyncIterable<object>;
  locale?: SummaryLocale;
}

/** A selection that cannot be collected, with the field at fault. */
export class BundleSelectionError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'BundleSelectionError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

const FLAG_COLUMNS = `id, rule_id, rule_version, scheme, subject_kind, subject_id, status, status_reason, severity, score, q_value, explanation, facts,
  baseline, display, evidence, unit, district, window_from, window_to, first_raised_at, last_raised_at`;

interface FlagDbRow {
  id: string;
  rule_id: string;
  rule_version: number;
  scheme: string;
  subject_kind: BundleFlag['subjectKind'];
  subject_id: string;
  status: BundleFlag['status'];
  status_reason: string | null;
  severity: BundleFlag['severity'];
  score: number;
  q_value: number | null;
  explanation: Record<string, string>;
  facts: Record<string, unknown>;
  baseline: Record<string, unknown>;
  display: NonNullable<BundleFlag['display']>;
  evidence: BundleFlag['evidence'];
  unit: string | null;
  district: string | null;
  window_from: Date;
  window_to: Date;
  first_raised_at: Date;
  last_raised_at: Date;
}

interface ChainPlan {
  chainId: string;
  minSeq: number;
  maxSeq: number;
  events: number;
  checkpointId: string;
  headSeq: number;
}

/**
 * Reads what a bundle needs from the database: the selected flags, their rule versions,
 * every event of the violations their evidence names, and for each chain those events sit
 * in the links from the first of them up to the earliest signed checkpoint at or after
 * the last. Events and links are returned as lazy iterables that stream from the database
 * while the bundle is written. Where no stored checkpoint covers a chain yet, the current
 * heads are signed now and the manifest says so.
 */
export async function collectBundleInput(pool: pg.Pool, selection: BundleSelection, ctx: CollectContext): Promise<BundleInput> {
  const flags = await readFlags(pool, selection);
  const rules = await readRules(pool, flags);
  const refs = await violationRefs(pool, flags);
  const chains = await chainSpansOfViolations(pool, refs);

  const checkpoints = new Map<string, BundleCheckpoint>();
  const plans: ChainPlan[] = [];
  const uncovered: { chainId: string; minSeq: number; maxSeq: number; events: number }[] = [];
  for (const chain of chains) {
    const stored = await earliestCovering(pool, chain.chainId, chain.maxSeq);
    if (stored === null) {
      uncovered.push(chain);
      continue;
    }
    checkpoints.set(stored.checkpoint.id, stored.checkpoint);
    plans.push({ ...chain, checkpointId: stored.checkpoint.id, headSeq: stored.headSeq });
  }
  const remarks: string[] = [];
  if (uncovered.length > 0) {
    const heads = await new CheckpointRepository(pool).currentHeads();
    const adHoc: BundleCheckpoint = {
      id: 'ad-hoc',
      adHoc: true,
      ...signCheckpoint({ at: ctx.generatedAt, ledgerHeads: heads.ledgerHeads, accessLogHead: heads.accessLogLanes.length === 0 ? null : { lanes: heads.accessLogLanes } }, ctx.keyRing),
    };
    checkpoints.set(adHoc.id, adHoc);
    for (const chain of uncovered) {
      const head = adHoc.ledgerHeads.find((h) => h.chainId === chain.chainId);
      if (head === undefined) throw new Error(`chain ${chain.chainId} has events but no head record`);
      plans.push({ ...chain, checkpointId: adHoc.id, headSeq: Number(head.seq) });
    }
    plans.sort((a, b) => (a.chainId < b.chainId ? -1 : 1));
    remarks.push(
      `Checkpoint "ad-hoc" was signed when this bundle was made, because no stored checkpoint covered chain(s) ${uncovered.map((c) => c.chainId).join(', ')} yet: it proves those events unchanged since ${ctx.generatedAt}, and a later stored checkpoint proves it again.`,
    );
  }

  const chainProofs: ChainProofSegment[] = [];
  for (const plan of plans) {
    chainProofs.push({
      chainId: plan.chainId,
      checkpointId: plan.checkpointId,
      fromSeq: plan.minSeq,
      toSeq: plan.headSeq,
      previousHash: await chainHashAt(pool, plan.chainId, plan.minSeq - 1),
      links: chainLinks(pool, plan.chainId, plan.minSeq, plan.headSeq),
    });
  }

  return {
    generatedAt: ctx.generatedAt,
    generatedBy: ctx.generatedBy,
    reason: ctx.reason,
    productVersion: ctx.productVersion,
    selection: 'flagIds' in selection ? { flagIds: [...selection.flagIds].sort() } : { query: selection.query },
    case: ctx.case ?? null,
    rules,
    flags,
    events: bundleEvents(pool, refs, plans),
    eventCount: plans.reduce((n, p) => n + p.events, 0),
    checkpoints: [...checkpoints.values()].sort((a, b) => compareIds(a.id, b.id)),
    chainProofs,
    accessLog: ctx.accessLog ?? [],
    productKeys: ctx.keyRing.publicKeys(),
    remarks,
    ...(ctx.locale === undefined ? {} : { locale: ctx.locale }),
  };
}

async function readFlags(pool: pg.Pool, selection: BundleSelection): Promise<BundleFlag[]> {
  if ('flagIds' in selection) {
    if (!Array.isArray(selection.flagIds) || selection.flagIds.length === 0) throw new BundleSelectionError('flagIds', 'at least one flag id is required');
    selection.flagIds.forEach((id, i) => {
      if (typeof id !== 'string' || !UUID.test(id)) throw new BundleSelectionError(`flagIds[${i}]`, `not a flag id (uuid): ${String(id)}`);
    });
    const { rows } = await pool.query<FlagDbRow>(`SELECT ${FLAG_COLUMNS} FROM flag WHERE id = ANY($1::uuid[]) ORDER BY id`, [selection.flagIds]);
    const found = new Set(rows.map((r) => r.id));
    const missing = selection.flagIds.findIndex((id) => !found.has(id.toLowerCase()));
    if (missing >= 0) throw new BundleSelectionError(`flagIds[${missing}]`, `no flag with id ${selection.flagIds[missing]}`);
    return rows.map(toFlag);
  }
  const q = selection.query;
  const from = Date.parse(q?.from);
  const to = Date.parse(q?.to);
  if (Number.isNaN(from)) throw new BundleSelectionError('query.from', 'an ISO 8601 instant is required');
  if (Number.isNaN(to)) throw new BundleSelectionError('query.to', 'an ISO 8601 instant is required');
  if (to <= from) throw new BundleSelectionError('query.to', 'must be after query.from');
  const where = ['window_from < $2', 'window_to > $1'];
  const params: unknown[] = [new Date(from), new Date(to)];
  if (q.ruleIds !== undefined && q.ruleIds.length > 0) {
    params.push(q.ruleIds);
    where.push(`rule_id = ANY($${params.length}::text[])`);
  }
  if (q.subjects !== undefined && q.subjects.length > 0) {
    q.subjects.forEach((s, i) => {
      if (typeof s?.kind !== 'string' || s.kind === '') throw new BundleSelectionError(`query.subjects[${i}].kind`, 'a subject kind is required');
      if (typeof s.id !== 'string' || s.id === '') throw new BundleSelectionError(`query.subjects[${i}].id`, 'a subject id is required');
    });
    params.push(q.subjects.map((s) => s.kind), q.subjects.map((s) => s.id));
    const k = `$${params.length - 1}::text[]`;
    const i = `$${params.length}::text[]`;
    // An officer or a vehicle also brings the officer-vehicle pairs it is half of.
    where.push(`EXISTS (SELECT 1 FROM unnest(${k}, ${i}) AS s(kind, id) WHERE (flag.subject_kind = s.kind AND flag.subject_id = s.id)
      OR (flag.subject_kind = 'officer_vehicle' AND ((s.kind = 'officer' AND split_part(flag.subject_id, '|', 1) = s.id) OR (s.kind = 'vehicle' AND split_part(flag.subject_id, '|', 2) = s.id))))`);
  }
  if (q.excludeSubjects !== undefined && q.excludeSubjects.length > 0) {
    params.push(q.excludeSubjects);
    const p = `$${params.length}::text[]`;
    // An officer subject, the officer half of an officer-vehicle pair, or the unit, as the flag queue withholds them.
    where.push(`NOT (split_part(subject_id, '|', 1) = ANY(${p}) OR coalesce(unit, '') = ANY(${p}))`);
  }
  const { rows } = await pool.query<FlagDbRow>(`SELECT ${FLAG_COLUMNS} FROM flag WHERE ${where.join(' AND ')} ORDER BY rule_id, subject_kind, subject_id, id`, params);
  return rows.map(toFlag);
}

function toFlag(r: FlagDbRow): BundleFlag {
  return {
    id: r.id,
    ruleId: r.rule_id,
    ruleVersion: r.rule_version,
    scheme: r.scheme,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    status: r.status,
    statusReason: r.status_reason,
    severity: r.severity,
    score: r.score,
    qValue: r.q_value,
    explanation: r.explanation,
    facts: r.facts,
    baseline: r.baseline,
    display: r.display,
    evidence: r.evidence,
    unit: r.unit,
    district: r.district,
    windowFrom: r.window_from.toISOString(),
    windowTo: r.window_to.toISOString(),
    firstRaisedAt: r.first_raised_at.toISOString(),
    lastRaisedAt: r.last_raised_at.toISOString(),
  };
}

async function readRules(pool: pg.Pool, flags: BundleFlag[]): Promise<BundleRuleVersion[]> {
  const keys = [...new Set(flags.map((f) => `${f.ruleId}\u0000${f.ruleVersion}`))].map((k) => k.split('\u0000') as [string, string]);
  if (keys.length === 0) return [];
  const { rows } = await pool.query<{
    rule_id: string;
    version: number;
    status: string;
    definition: Record<string, unknown>;
    definition_hash: string;
    author_id: string;
    approved_by: string | null;
    published_by: string | null;
    published_at: Date | null;
  }>(
    `SELECT r.rule_id, r.version, r.status, r.definition, r.definition_hash, r.author_id, r.approved_by, r.published_by, r.published_at
     FROM unnest($1::text[], $2::int[]) AS k(rule_id, version) JOIN rule_version r ON r.rule_id = k.rule_id AND r.version = k.version
     ORDER BY r.rule_id, r.version`,
    [keys.map((k) => k[0]), keys.map((k) => Number(k[1]))],
  );
  return rows.map((r) => ({
    ruleId: r.rule_id,
    version: r.version,
    status: r.status,
    definition: r.definition,
    definitionHash: r.definition_hash,
    authorId: r.author_id,
    approvedBy: r.approved_by,
    publishedBy: r.published_by,
    publishedAt: r.published_at?.toISOString() ?? null,
  }));
}

/** The violations the flags' evidence names: their whole lives go into the bundle. */
async function violationRefs(pool: pg.Pool, flags: BundleFlag[]): Promise<string[]> {
  const seen = new Set<string>();
  const sources: string[] = [];
  const eventIds: string[] = [];
  for (const f of flags) {
    for (const e of f.evidence ?? []) {
      const key = `${e.source}|${e.eventId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      sources.push(e.source);
      eventIds.push(e.eventId);
    }
  }
  if (sources.length === 0) return [];
  return violationRefsOfEvents(pool, sources, eventIds);
}

async function earliestCovering(pool: pg.Pool, chainId: string, seq: number): Promise<{ checkpoint: BundleCheckpoint; headSeq: number } | null> {
  const stored = await earliestCheckpointCovering(pool, chainId, seq);
  if (stored === null) return null;
  const c = stored.checkpoint;
  return {
    checkpoint: { id: c.id, adHoc: false, at: c.at, ledgerHeads: c.ledgerHeads, accessLogHead: c.accessLogHead, keyId: c.keyId, publicKey: c.publicKey, signature: c.signature },
    headSeq: stored.headSeq,
  };
}

/** Events of the violations, only up to the positions planned, so rows arriving meanwhile cannot escape the proofs. */
async function* bundleEvents(pool: pg.Pool, refs: string[], plans: ChainPlan[]): AsyncGenerator<BundleEvent> {
  if (plans.length === 0) return;
  const rows = violationEventRowsUpTo(pool, refs, plans);
  for await (const row of rows) {
    yield {
      event: rowToEvent(row),
      chainId: row.chain_id,
      chainSeq: Number(row.chain_seq),
      contentHash: row.content_hash,
      chainHash: row.chain_hash,
      receivedAt: row.received_at.toISOString(),
    };
  }
}

function compareIds(a: string, b: string): number {
  const na = /^\d+$/u.test(a) ? Number(a) : Number.POSITIVE_INFINITY;
  const nb = /^\d+$/u.test(b) ? Number(b) : Number.POSITIVE_INFINITY;
  return na !== nb ? na - nb : a < b ? -1 : a > b ? 1 : 0;
}
