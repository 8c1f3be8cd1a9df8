import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type pg from 'pg';
import { QUEUES, type JobPayloads } from '@qadaga/contracts';
import { AccessLogRepository, BundleRepository, CaseRepository, type BundleRecord } from '@qadaga/db';
import { writeBundle, type KeyRing } from '@qadaga/evidence';
import { collectBundleInput, type BundleQuery } from '@qadaga/evidence/collect';
import type { AppConfig } from '@qadaga/config';
import { subjectHead } from '@qadaga/domain';
import { APP_CONFIG, PG_POOL, SIGNING_KEYS } from '../core/tokens.js';
import { CheckpointSigner, type SignOutcome } from './checkpoint-signer.js';

/** The product's version, written into every bundle's manifest. */
export const PRODUCT_VERSION = '0.1.0';

type EvidenceJob = Job<JobPayloads['build-bundle'] | JobPayloads['sign-checkpoint']>;

/**
 * Builds evidence bundles and signs checkpoints. A bundle is written to a temporary file
 * while it is hashed, then stored in chunks with its row marked done in one transaction,
 * so a crash half-way leaves nothing served; a retry rebuilds the same bytes, because
 * the generation time is fixed when the bundle is requested.
 */
@Processor(QUEUES.evidence, { concurrency: 2, lockDuration: 30_000 })
export class EvidenceProcessor extends WorkerHost {
  static readonly handles = ['build-bundle', 'sign-checkpoint'] as const;
  private readonly logger = new Logger('evidence');
  private readonly bundles: BundleRepository;
  private readonly cases: CaseRepository;
  private readonly accessLog: AccessLogRepository;
  private readonly signer: CheckpointSigner;

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(SIGNING_KEYS) private readonly keyRing: KeyRing,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
    this.bundles = new BundleRepository(pool);
    this.cases = new CaseRepository(pool);
    this.accessLog = new AccessLogRepository(pool);
    // With key files, a previous checkpoint must be signed by one of them; an ephemeral key's predecessors are gone.
    this.signer = new CheckpointSigner(pool, keyRing, config.evidence.signingKeyFiles === null ? null : keyRing.publicKeys().map((k) => k.keyId));
  }

  async process(job: EvidenceJob): Promise<unknown> {
    if (job.name === 'sign-checkpoint') return this.signCheckpoint();
    if (job.name === 'build-bundle') return this.buildBundle(job as Job<JobPayloads['build-bundle']>);
    throw new Error(`no handler for job ${job.name} on ${QUEUES.evidence}`);
  }

  /**
   * Signs the current heads of every chain once they are shown to extend the last
   * checkpoint; skipped when nothing moved since; refused, with an integrity alarm, when
   * they do not extend it. A refusal is an answer, not an error: retrying cannot help.
   */
  async signCheckpoint(): Promise<SignOutcome> {
    return this.signer.sign();
  }

  private async buildBundle(job: Job<JobPayloads['build-bundle']>): Promise<{ sha256: string; size: number }> {
    const bundle = await this.bundles.get(job.data.bundleId);
    if (bundle === null) throw new Error(`no bundle ${job.data.bundleId}`);
    if (bundle.status === 'done') return { sha256: bundle.sha256 ?? '', size: bundle.size ?? 0 };
    await this.bundles.progress(bundle.id, 'running', 0);
    const dir = await mkdtemp(path.join(tmpdir(), 'qadaga-evidence-'));
    try {
      const file = path.join(dir, bundle.fileName);
      const input = await this.collect(bundle);
      const max = this.config.evidence.maxBundleEvents;
      if ((input.eventCount ?? 0) > max) {
        // Retrying cannot help: record why, and stop.
        await this.bundles.fail(bundle.id, `the selection holds ${input.eventCount} events; a bundle may hold at most ${max} (BUNDLE_MAX_EVENTS): narrow the query`);
        return { sha256: '', size: 0 };
      }
      let lastReported = -1;
      const result = await writeBundle(input, createWriteStream(file), this.keyRing, (p) => {
        // Progress is stored at most once per 5 %, so a big bundle does not flood the database.
        if (p.percent - lastReported < 5 && p.percent !== 100) return;
        lastReported = p.percent;
        void this.bundles.progress(bundle.id, 'running', Math.min(99, p.percent)).catch(() => undefined);
        void job.updateProgress(p.percent).catch(() => undefined);
      });
      // Hash what is on disk, not what was meant to be written: the stored digest is of the stored bytes.
      const digest = await sha256OfFile(file);
      if (digest !== result.sha256) throw new Error('the bundle on disk differs from the bundle written');
      await this.bundles.complete(bundle.id, createReadStream(file), { sha256: result.sha256, size: result.size }, concernsOf(input.flags));
      this.logger.log(`bundle ${bundle.id}: ${result.size} bytes, sha256 ${result.sha256}`);
      return { sha256: result.sha256, size: result.size };
    } catch (error) {
      // The last attempt records the failure where the workbench shows it; earlier ones retry.
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await this.bundles.fail(bundle.id, (error as Error).message);
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async collect(bundle: BundleRecord) {
    const context = {
      keyRing: this.keyRing,
      // Fixed at request time, so a retried job writes the same bytes; never before the
      // signing key's period began (a bundle asked for just before a rotation), which the
      // verifier would refuse.
      generatedAt: this.keyRing.activeSince !== null && Date.parse(this.keyRing.activeSince) > Date.parse(bundle.createdAt) ? this.keyRing.activeSince : bundle.createdAt,
      generatedBy: { id: bundle.requestedBy },
      reason: bundle.reason,
      productVersion: PRODUCT_VERSION,
    };
    if (bundle.caseId !== null) {
      const detail = await this.cases.get(bundle.caseId);
      if (detail === null) throw new Error(`no case ${bundle.caseId}`);
      const { flagIds, notes, attachments, timeline, ...summary } = detail;
      const accessLog = await this.accessLog.forSubject('case', bundle.caseId);
      return collectBundleInput(this.pool, { flagIds }, {
        ...context,
        case: { case: { ...summary, flagIds }, notes: notes.map((n) => ({ ...n })), timeline: timeline.map((e) => ({ ...e })), attachments: attachments.map((a) => ({ ...a })) },
        // Only rows written before the bundle was asked for: the same request gives the same file.
        accessLog: accessLog.filter((r) => r.at <= bundle.createdAt).map((r) => ({ ...r })),
      });
    }
    return collectBundleInput(this.pool, { query: bundle.query as unknown as BundleQuery }, context);
  }
}

/** The officers and units the bundle's flags are about, as recusal compares them (an officer|plate pair by its officer). */
function concernsOf(flags: readonly { subjectId: string; unit: string | null }[]): string[] {
  return flags.flatMap((f) => [subjectHead(f.subjectId), ...(f.unit === null ? [] : [f.unit])]);
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
