import { Transform, type Readable } from 'node:stream';
import { InjectQueue } from '@nestjs/bullmq';
import { Controller, HttpStatus, Inject, Param, Req, Res } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QUEUES, type JobPayloads } from '@qadaga/contracts';
import { evidenceEndpoints as api, type AccessLogVerification, type Bundle, type BundleVerification, type ParsedBodyOf, type ParsedQueryOf } from '@qadaga/contracts/api';
import { AccessLogRepository, BundleRepository, CaseRepository, CheckpointRepository, type BundleRecord } from '@qadaga/db';
import { AccessLogVerifier } from '@qadaga/ledger';
import { verifyBundle } from '@qadaga/evidence';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { RecusalCheck, recusalOf, refuseRecused } from '../auth/recusal.js';
import { readableCase } from '../cases/case-reads.js';
import { UuidPipe } from '../http/uuid.pipe.js';
import { bundleConcernsRecused } from './bundle-recusal.js';
import { apiError } from '../http/api-error.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { CheckpointTrust } from '../integrity/checkpoint-trust.js';
import { ProductKeys } from './product-keys.js';

/** The largest bundle the verify endpoint accepts; bigger ones verify offline with the CLI. */
export const VERIFY_MAX_BYTES = 1024 * 1024 * 1024;

const BUNDLE_ID = new UuidPipe('bundle');

const BUILD_OPTIONS = { attempts: 3, backoff: { type: 'exponential' as const, delay: 5_000 }, removeOnComplete: { count: 1_000 }, removeOnFail: { count: 5_000 } };

/** A stored bundle as the API answers it; the list adds its case number, builder's name and query. */
export const bundleView = (b: BundleRecord): Bundle => ({
  id: b.id,
  caseId: b.caseId,
  status: b.status,
  progress: b.progress,
  fileName: b.fileName,
  sha256: b.sha256,
  size: b.size,
  error: b.error,
  reason: b.reason,
  requestedBy: b.requestedBy,
  createdAt: b.createdAt,
  finishedAt: b.finishedAt,
});

/**
 * Evidence: signed bundles built by the workers, their verification, the signed
 * checkpoints of the chains' heads, and the access log's own verification.
 */
@Controller()
export class EvidenceController {
  constructor(
    @InjectQueue(QUEUES.evidence) private readonly queue: Queue<JobPayloads['build-bundle']>,
    @Inject(BundleRepository) private readonly bundles: BundleRepository,
    @Inject(CaseRepository) private readonly cases: CaseRepository,
    @Inject(CheckpointRepository) private readonly checkpoints: CheckpointRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(AccessLogVerifier) private readonly accessLogVerifier: AccessLogVerifier,
    @Inject(RecusalCheck) private readonly recusal: RecusalCheck,
    @Inject(CheckpointTrust) private readonly trust: CheckpointTrust,
    @Inject(ProductKeys) private readonly productKeys: ProductKeys,
  ) {}

  @Endpoint(api.forCase)
  async forCase(@Param('id', new UuidPipe('case')) id: string, @Input('body') b: ParsedBodyOf<typeof api.forCase>, @CurrentPrincipal() principal: Principal) {
    const found = await readableCase(this.cases, id, principal);
    // Recorded before the job exists: the bundle itself then carries this request in the case's access log.
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'export_bundle', subjectKind: 'case', subjectId: id, reason: b.reason });
    const bundle = await this.bundles.request({ caseId: id, reason: b.reason, requestedBy: principal.id, fileName: `${found.number}-evidence.zip` });
    await this.queue.add('build-bundle', { bundleId: bundle.id }, { ...BUILD_OPTIONS, jobId: `bundle-${bundle.id}` });
    return bundleView(bundle);
  }

  @Endpoint(api.forQuery)
  async forQuery(@Input('body') b: ParsedBodyOf<typeof api.forQuery>, @CurrentPrincipal() principal: Principal) {
    const recusal = recusalOf(principal);
    const named = (await this.recusal.coversSubjects(principal, b.query.subjects ?? [])).indexOf(true);
    if (named >= 0) throw apiError(HttpStatus.FORBIDDEN, 'you are recused from a subject you chose', [{ path: `query.subjects.${named}`, message: 'concerns your own officer record or unit' }]);
    // Whatever else the query matches, flags about the requester's own officer record or unit stay out.
    const query = recusal.applies ? { ...b.query, excludeSubjects: recusal.subjects } : b.query;
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'export_bundle', subjectKind: 'export', subjectId: 'query', reason: b.reason, details: query });
    const bundle = await this.bundles.request({ query, reason: b.reason, requestedBy: principal.id, fileName: `query-${b.query.from.slice(0, 10)}-${b.query.to.slice(0, 10)}-evidence.zip` });
    await this.queue.add('build-bundle', { bundleId: bundle.id }, { ...BUILD_OPTIONS, jobId: `bundle-${bundle.id}` });
    return bundleView(bundle);
  }

  @Endpoint(api.get)
  async get(@Param('id', BUNDLE_ID) id: string, @CurrentPrincipal() principal: Principal) {
    return bundleView(await this.bundle(id, principal));
  }

  @Endpoint(api.download)
  async download(@Param('id', BUNDLE_ID) id: string, @CurrentPrincipal() principal: Principal, @Res() reply: FastifyReply) {
    const bundle = await this.bundle(id, principal);
    if (bundle.status !== 'done') throw apiError(HttpStatus.CONFLICT, `the bundle is ${bundle.status}, not ready`, [{ path: 'id', message: `status ${bundle.status}` }]);
    // The access log holds every download; a case's timeline says its evidence left too.
    await this.bundles.recordDownload(bundle, principal.id);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'download_bundle', subjectKind: bundle.caseId === null ? 'export' : 'case', subjectId: bundle.caseId ?? bundle.id, details: { bundleId: bundle.id, sha256: bundle.sha256 } });
    await reply
      .header('content-type', 'application/zip')
      .header('content-length', String(bundle.size))
      .header('content-disposition', `attachment; filename="${bundle.fileName}"`)
      .header('x-content-sha256', bundle.sha256 ?? '')
      .send(this.bundles.open(bundle.id));
  }

  @Endpoint(api.verify)
  async verify(@Req() request: FastifyRequest): Promise<BundleVerification> {
    if (request.headers['content-type'] !== 'application/zip') {
      throw apiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'send the bundle as the body with Content-Type application/zip', [{ path: '(body)', message: 'expected application/zip' }]);
    }
    // The signer is judged by the keys this product recorded, never by those the bundle carries.
    const keys = await this.productKeys.pinned();
    const report = await verifyBundle((request.body as Readable).pipe(limitBytes(VERIFY_MAX_BYTES)), { keys });
    return { ...report, keysFrom: this.productKeys.keysFrom };
  }

  @Endpoint(api.latestCheckpoint)
  async latest() {
    const checkpoint = await this.checkpoints.latest();
    if (checkpoint === null) throw apiError(HttpStatus.NOT_FOUND, 'no checkpoint has been signed yet', []);
    return checkpoint;
  }

  @Endpoint(api.checkpoints)
  async export(@Input('query') q: ParsedQueryOf<typeof api.checkpoints>, @CurrentPrincipal() principal: Principal) {
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'export_checkpoints', subjectKind: 'ledger', subjectId: 'checkpoints', details: q });
    return { items: await this.checkpoints.since(new Date(q.from ?? 0)) };
  }

  @Endpoint(api.verifyAccessLog)
  async verifyAccessLog(@CurrentPrincipal() principal: Principal): Promise<AccessLogVerification> {
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'verify_access_log', subjectKind: 'ledger', subjectId: 'access_log' });
    const report = await this.accessLogVerifier.verify({ checkpoints: { signature: this.trust.signature } });
    return { ...report, checkpoints: { ...report.checkpoints, trust: this.trust.trust } };
  }

  /** The bundle, if it exists and the principal is not recused from what it holds or will hold. */
  private async bundle(id: string, principal: Principal): Promise<BundleRecord> {
    const bundle = await this.bundles.get(id);
    if (bundle === null) throw apiError(HttpStatus.NOT_FOUND, `no bundle ${id}`, [{ path: 'id', message: 'unknown bundle' }]);
    if (await bundleConcernsRecused(bundle, recusalOf(principal), this.cases)) throw refuseRecused('this bundle');
    return bundle;
  }
}

/** Passes a stream through, failing it once more than `max` bytes have gone by. */
function limitBytes(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) done(new Error(`the bundle is larger than ${max} bytes: verify it offline with the CLI`));
      else done(null, chunk);
    },
  });
}
