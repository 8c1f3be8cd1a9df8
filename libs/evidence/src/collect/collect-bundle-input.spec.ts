import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import canonicalize from 'canonicalize';
import type { LifecycleEvent } from '@qadaga/domain';
import { sha256Hex } from '@qadaga/domain/hashing';
import { AccessLogRepository, CheckpointRepository, FlagRepository, accessLogContentHash, createPool, type FlagInput } from '@qadaga/db';
import { LedgerWriter } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { writeBundle } from '../bundle/write-bundle.js';
import type { BundleEvent, BundleInput, ChainLinkRecord } from '../bundle/bundle-input.js';
import { signCheckpoint } from '../signing/checkpoint.js';
import { KeyRing, generateSigningKey } from '../signing/key-ring.js';
import { verifyBundle } from '../verify/verify-bundle.js';
import { accessRowContentHash } from '../verify/access-log-checker.js';
import { memorySink, readZipEntries, writeZipEntries } from '../testing/index.js';
import { BundleSelectionError, collectBundleInput, type CollectContext } from './collect-bundle-input.js';

const pool = createPool({ url: testDatabaseUrl(), size: 4 });
const writer = new LedgerWriter(pool, 1);
const flags = new FlagRepository(pool);
const ring = KeyRing.of(generateSigningKey());
/** The reader holds the product's key, as a court would from GET /v1/keys. */
const PINNED = { trustedKeys: [ring.activeKeyId] };
const ctx: CollectContext = { keyRing: ring, generatedAt: '2026-05-01T08:00:00.000Z', generatedBy: { id: 'u-auditor' }, reason: 'audit', productVersion: '0.1.0' };

const RULE_DEFINITION = { id: 'officer-dismissal-share', parameters: { minShare: { default: 0.3, min: 0, max: 1 } }, conditions: { all: [] } };

function lifecycle(source: string, violation: string, n: number, day: number): LifecycleEvent[] {
  const types = ['detected', 'confirmed', 'notice_issued', 'cancelled'] as const;
  return Array.from({ length: n }, (_, i) => ({
    source,
    eventId: `${violation}-${i + 1}`,
    violationRef: violation,
    type: types[i % 4],
    occurredAt: new Date(Date.UTC(2026, 0, day, 8 + i)).toISOString(),
    actor: { kind: i === 0 ? 'camera' : 'officer', id: i === 0 ? 'CAM1' : 'O7' },
    payload: i === 0 ? { article: '592', plate: '777AAA02' } : {},
  }) as unknown as LifecycleEvent);
}

async function record(events: LifecycleEvent[]): Promise<void> {
  await writer.write(events.map((event, index) => ({ index, event })));
}

async function raise(subjectId: string, evidence: string[]): Promise<string> {
  const input: FlagInput = {
    subjectKind: 'officer',
    subjectId,
    severity: 'high',
    score: 3.1,
    qValue: null,
    explanation: { en: `Officer ${subjectId} cancels often.` },
    facts: { dismissalShare: 0.5, peerDismissalMedian: 0.05 },
    baseline: { peerDismissalMedian: 0.05 },
    evidenceEventIds: evidence,
    unit: 'U1',
    district: null,
  };
  await flags.upsert({ ruleId: 'officer-dismissal-share', version: 1, scheme: 'cancellation' }, { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') }, [input]);
  const { flags: found } = await flags.list({ subjectId });
  return (found[0] as { id: string }).id;
}

async function storeCheckpoint(): Promise<string> {
  const repo = new CheckpointRepository(pool);
  const heads = await repo.currentHeads();
  const cp = signCheckpoint({ at: new Date().toISOString(), ledgerHeads: heads.ledgerHeads, accessLogHead: null }, ring);
  return (await repo.store(cp)).id;
}

async function drain<T>(items: AsyncIterable<T> | Iterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

async function bundleOf(input: BundleInput): Promise<Buffer> {
  const sink = memorySink();
  await writeBundle(input, sink.stream, ring);
  return sink.bytes();
}

beforeEach(async () => {
  await resetLedger(pool);
  await pool.query(`INSERT INTO rule (id, published_version) VALUES ('officer-dismissal-share', 1)`);
  await pool.query(`INSERT INTO rule_version (rule_id, version, status, definition, definition_hash, author_id) VALUES ('officer-dismissal-share', 1, 'published', $1, $2, 'author')`, [
    JSON.stringify(RULE_DEFINITION),
    sha256Hex(canonicalize(RULE_DEFINITION) ?? ''),
  ]);
  // Two violations of interest on the camera's chain, one unrelated, and a treasury chain.
  await record([...lifecycle('cam', 'V1', 4, 5), ...lifecycle('cam', 'V-other', 3, 6), ...lifecycle('cam', 'V2', 4, 7)]);
  await record(lifecycle('treasury', 'V1', 1, 20).map((e) => ({ ...e, eventId: 'T-V1', type: 'paid', actor: { kind: 'treasury', id: 'KZT' }, payload: { amount: 7384 } }) as LifecycleEvent));
});
afterAll(async () => pool.end());

describe('collecting a bundle from the database', () => {
  it('takes every event of the violations the flags cite, with proofs to a stored checkpoint, and the bundle verifies', async () => {
    const flagId = await raise('O7', ['cam|V1-2', 'cam|V2-4']);
    const checkpointId = await storeCheckpoint();
    const input = await collectBundleInput(pool, { flagIds: [flagId] }, ctx);

    const events = await drain(input.events as AsyncIterable<BundleEvent>);
    expect(events.map((e) => `${e.chainId}#${e.chainSeq} ${e.event.eventId}`)).toEqual([
      'cam/0#1 V1-1', 'cam/0#2 V1-2', 'cam/0#3 V1-3', 'cam/0#4 V1-4',
      'cam/0#8 V2-1', 'cam/0#9 V2-2', 'cam/0#10 V2-3', 'cam/0#11 V2-4',
      'treasury/0#1 T-V1',
    ]);
    expect(input.eventCount).toBe(9);
    expect(input.rules).toMatchObject([{ ruleId: 'officer-dismissal-share', version: 1, definition: RULE_DEFINITION }]);
    expect(input.checkpoints.map((c) => [c.id, c.adHoc])).toEqual([[checkpointId, false]]);
    expect(input.remarks).toEqual([]);
    expect(input.chainProofs.map((p) => [p.chainId, p.checkpointId, p.fromSeq, p.toSeq])).toEqual([
      ['cam/0', checkpointId, 1, 11],
      ['treasury/0', checkpointId, 1, 1],
    ]);
    // The unrelated violation's rows sit between: they are in the proof as links only.
    const links = await drain(input.chainProofs[0]?.links as AsyncIterable<ChainLinkRecord>);
    expect(links.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

    const result = await verifyBundle(await bundleOf(await collectBundleInput(pool, { flagIds: [flagId] }, ctx)), PINNED);
    expect(result).toMatchObject({ ok: true, checked: { events: 9, flags: 1, rules: 1, checkpoints: 1 } });
  });

  it('proves events recorded after the last checkpoint with a checkpoint signed for the bundle, and says so', async () => {
    const flagId = await raise('O7', ['cam|V1-2']);
    const stored = await storeCheckpoint();
    // The violation goes on after the checkpoint: an appeal on the camera chain.
    await record([{ ...(lifecycle('cam', 'V1', 1, 25)[0] as LifecycleEvent), eventId: 'V1-5', type: 'appealed', actor: { kind: 'owner', id: 'P1' } } as LifecycleEvent]);
    const input = await collectBundleInput(pool, { flagIds: [flagId] }, ctx);
    expect(input.checkpoints.map((c) => [c.id, c.adHoc])).toEqual([
      [stored, false],
      ['ad-hoc', true],
    ]);
    expect(input.chainProofs.map((p) => [p.chainId, p.checkpointId, p.fromSeq, p.toSeq])).toEqual([
      ['cam/0', 'ad-hoc', 1, 12],
      ['treasury/0', stored, 1, 1],
    ]);
    expect(input.remarks?.[0]).toMatch(/^Checkpoint "ad-hoc" was signed when this bundle was made, because no stored checkpoint covered chain\(s\) cam\/0 yet/u);
    const zip = await bundleOf(input);
    expect(await verifyBundle(zip, PINNED)).toMatchObject({ ok: true, failures: [] });
    const manifest = JSON.parse((await readZipEntries(zip)).find((e) => e.name === 'manifest.json')?.data.toString('utf8') ?? '{}') as { remarks: string[]; counts: { events: number } };
    expect(manifest.remarks).toHaveLength(1);
    expect(manifest.counts.events).toBe(6);
  });

  it('selects flags by query: rule, subject and overlapping window', async () => {
    const mine = await raise('O7', ['cam|V1-1']);
    await raise('O8', ['cam|V2-1']);
    await storeCheckpoint();
    const query = { subjects: [{ kind: 'officer', id: 'O7' }], ruleIds: ['officer-dismissal-share'], from: '2026-03-01T00:00:00Z', to: '2026-05-01T00:00:00Z' };
    const input = await collectBundleInput(pool, { query }, ctx);
    expect(input.flags.map((f) => f.id)).toEqual([mine]);
    expect(input.selection).toEqual({ query });
    const outside = await collectBundleInput(pool, { query: { ...query, from: '2026-04-01T00:00:00Z', to: '2026-05-01T00:00:00Z' } }, ctx);
    expect(outside.flags).toEqual([]);
  });

  it('refuses a selection it cannot read, naming the field', async () => {
    await expect(collectBundleInput(pool, { flagIds: [] }, ctx)).rejects.toThrow(new BundleSelectionError('flagIds', 'at least one flag id is required'));
    await expect(collectBundleInput(pool, { flagIds: ['nope'] }, ctx)).rejects.toThrow('flagIds[0]: not a flag id (uuid): nope');
    await expect(collectBundleInput(pool, { flagIds: ['00000000-0000-4000-8000-000000000000'] }, ctx)).rejects.toThrow('flagIds[0]: no flag with id 00000000-0000-4000-8000-000000000000');
    await expect(collectBundleInput(pool, { query: { from: 'soon', to: '2026-01-01T00:00:00Z' } }, ctx)).rejects.toThrow('query.from: an ISO 8601 instant is required');
    await expect(collectBundleInput(pool, { query: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } }, ctx)).rejects.toThrow('query.to: must be after query.from');
    await expect(collectBundleInput(pool, { query: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', subjects: [{ kind: 'officer', id: '' }] } }, ctx)).rejects.toThrow(
      'query.subjects[0].id: a subject id is required',
    );
  });

  it('a ledger row edited in the database shows in the bundle: verification names events.ndjson', async () => {
    const flagId = await raise('O7', ['cam|V1-2']);
    await storeCheckpoint();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE ledger_event DISABLE TRIGGER USER');
      await client.query(`UPDATE ledger_event SET actor_id = 'O9' WHERE event_id = 'V1-3'`);
      await client.query('ALTER TABLE ledger_event ENABLE TRIGGER USER');
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const result = await verifyBundle(await bundleOf(await collectBundleInput(pool, { flagIds: [flagId] }, ctx)), PINNED);
    expect(result.ok).toBe(false);
    expect([...new Set(result.failures.map((f) => f.file))]).toEqual(['events.ndjson']);
    expect(result.failures[0]?.reason).toMatch(/^event cam\/V1-3 \(cam\/0#3, line 3\) was changed/u);
  });

  it("carries the case's access-log rows with their chain, and names a row edited afterwards", async () => {
    const flagId = await raise('O7', ['cam|V1-2']);
    await storeCheckpoint();
    const log = new AccessLogRepository(pool);
    await Promise.all(['read_case', 'add_note', 'read_case'].map((action, i) => log.record({ principal: `u-${i}`, roles: ['prosecutor'], action, subjectKind: 'case', subjectId: 'c-1', details: { n: i } })));
    await log.record({ principal: 'u-9', roles: ['auditor'], action: 'export', subjectKind: 'case', subjectId: 'c-1', reason: 'referral' });
    const rows = await log.forSubject('case', 'c-1');
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(accessRowContentHash(row as unknown as Record<string, unknown>)).toBe(accessLogContentHash(row));

    const zip = await bundleOf(await collectBundleInput(pool, { flagIds: [flagId] }, { ...ctx, accessLog: rows }));
    expect(await verifyBundle(zip, PINNED)).toMatchObject({ ok: true });
    const entries = await readZipEntries(zip);
    const edited = entries.map((e) => (e.name === 'access-log.ndjson' ? { name: e.name, data: Buffer.from(e.data.toString('utf8').replace('"principal":"u-9"', '"principal":"u-8"')) } : e));
    const result = await verifyBundle(await writeZipEntries(edited), PINNED);
    expect([...new Set(result.failures.map((f) => f.file))]).toEqual(['access-log.ndjson']);
    expect(result.failures.map((f) => f.reason)).toContainEqual(expect.stringMatching(/^row \d+ was changed: its content hashes to/u));
  });
});
