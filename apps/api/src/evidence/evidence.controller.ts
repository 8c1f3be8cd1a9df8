import { Transform, type Readable } from 'node:stream';
import { InjectQueue } from '@nestjs/bullmq';
import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { QUEUES, type JobPayloads } from '@qadaga/contracts';
import { SUBJECT_KINDS } from '@qadaga/domain';
import { AccessLogRepository, BundleRepository, CaseRepository, CheckpointRepository, type BundleRecord } from '@qadaga/db';
import { AccessLogVerifier } from '@qadaga/ledger';
import { verifyBundle } from '@qadaga/evidence';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { RecusalCheck, recusalOf, recusedSubjects, refuseRecused } from '../auth/recusal.js';
import { UuidPipe } from '../http/uuid.pipe.js';
import { bundleConcernsRecused } from './bundle-recusal.js';
import { Roles } from '../auth/roles.decorator.js';
import { apiError } from '../http/api-error.js';
import { parseOr422 } from '../http/parse.js';
import { CheckpointTrust } from '../integrity/checkpoint-trust.js';
import { ProductKeys } from './product-keys.js';

/** The largest bundle the verify endpoint accepts; bigger ones verify offline with the CLI. */
export const VERIFY_MAX_BYTES = 1024 * 1024 * 1024;

const reason = z.string().trim().min(10, 'state why the evidence is needed (at least 10 characters)').max(2_000);
const CaseBundleBody = z.strictObject({ reason });
const QueryBundleBody = z.strictObject({
  reason,
  query: z
    .strictObject({
      subjects: z.array(z.strictObject({ kind: z.enum(SUBJECT_KINDS), id: z.string().min(1).max(200) })).max(1_000).optional(),
      ruleIds: z.array(z.string().min(1).max(100)).max(100).optional(),
      from: z.iso.datetime({ offset: true }),
      to: z.iso.datetime({ offset: true }),
    })
    .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] }),
});
const CheckpointsQuery = z.strictObject({ from: z.iso.datetime({ offset: true }).optional() });

const BUNDLE_ID = new UuidPipe('bundle');

const BUILD_OPTIONS = { attempts: 3, backoff: { type: 'exponential' as const, delay: 5_000 }, removeOnComplete: { count: 1_000 }, removeOnFail: { count: 5_000 } };

const view = (b: BundleRecord) => ({
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
@ApiTags('evidence')
@ApiBearerAuth()
@Controller('v1')
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

  @Post('cases/:id/bundles')
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles('prosecutor', 'auditor', 'admin')
  @ApiOperation({ summary: 'Build the signed evidence bundle of a case (a worker job); answers its id to follow progress (prosecutor, auditor, admin)' })
  async forCase(@Param('id', new UuidPipe('case')) id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseOr422(CaseBundleBody, body);
    const found = await this.cases.get(id);
    if (found === null) throw apiError(HttpStatus.NOT_FOUND, `no case ${id}`, [{ path: 'id', message: 'unknown case' }]);
    const recused = recusedSubjects(principal);
    if (recused.length > 0 && (await this.cases.subjectsOf(id)).some((s) => recused.includes(s))) throw refuseRecused('this case');
    // Recorded before the job exists: the bundle itself then carries this request in the case's access log.
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'export_bundle', subjectKind: 'case', subjectId: id, reason: b.reason });
    const bundle = await this.bundles.request({ caseId: id, reason: b.reason, requestedBy: principal.id, fileName: `${found.number}-evidence.zip` });
    await this.queue.add('build-bundle', { bundleId: bundle.id }, { ...BUILD_OPTIONS, jobId: `bundle-${bundle.id}` });
    return view(bundle);
  }

  @Post('bundles')
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Build a signed evidence bundle for a query: subjects, rules and a time range (auditor, admin)' })
  async forQuery(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseOr422(QueryBundleBody, body);
    const recusal = recusalOf(principal);
    const named = (await this.recusal.coversSubjects(principal, b.query.subjects ?? [])).indexOf(true);
    if (named >= 0) throw apiError(HttpStatus.FORBIDDEN, 'you are recused from a subject you chose', [{ path: `query.subjects.${named}`, message: 'concerns your own officer record or unit' }]);
    // Whatever else the query matches, flags about the requester's own officer record or unit stay out.
    const query = recusal.applies ? { ...b.query, excludeSubjects: recusal.subjects } : b.query;
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'export_bundle', subjectKind: 'export', subjectId: 'query', reason: b.reason, details: query });
    const bundle = await this.bundles.request({ query, reason: b.reason, requestedBy: principal.id, fileName: `query-${b.query.from.slice(0, 10)}-${b.query.to.slice(0, 10)}-evidence.zip` });
    await this.queue.add('build-bundle', { bundleId: bundle.id }, { ...BUILD_OPTIONS, jobId: `bundle-${bundle.id}` });
    return view(bundle);
  }

  @Get('bundles/:id')
  @Roles('prosecutor', 'auditor', 'admin')
  @ApiOperation({ summary: 'A bundle: status (queued, running, done, failed), progress in percent, and its SHA-256 and size when done (prosecutor, auditor, admin)' })
  async get(@Param('id', BUNDLE_ID) id: string, @CurrentPrincipal() principal: Principal) {
    return view(await this.bundle(id, principal));
  }

  @Get('bundles/:id/download')
  @Roles('prosecutor', 'auditor', 'admin')
  @ApiOperation({ summary: 'Download a finished bundle, streamed (prosecutor, auditor, admin)' })
  async download(@Param('id', BUNDLE_ID) id: string, @CurrentPrincipal() principal: Principal, @Res() reply: FastifyReply) {
    const bundle = await this.bundle(id, principal);
    if (bundle.status !== 'done') throw apiError(HttpStatus.CONFLICT, `the bundle is ${bundle.status}, not ready`, [{ path: 'id', message: `status ${bundle.status}` }]);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'download_bundle', subjectKind: bundle.caseId === null ? 'export' : 'case', subjectId: bundle.caseId ?? bundle.id, details: { bundleId: bundle.id, sha256: bundle.sha256 } });
    await reply
      .header('content-type', 'application/zip')
      .header('content-length', String(bundle.size))
      .header('content-disposition', `attachment; filename="${bundle.fileName}"`)
      .header('x-content-sha256', bundle.sha256 ?? '')
      .send(this.bundles.open(bundle.id));
  }

  @Post('bundles/verify')
  @HttpCode(HttpStatus.OK)
  @Roles('prosecutor', 'auditor', 'admin')
  @ApiOperation({
    summary:
      "Verify a bundle sent as the request body (Content-Type application/zip): every hash, the chain links, and that the manifest and checkpoints are signed by the product's own keys (GET /v1/keys) within each key's period; names each failure (prosecutor, auditor, admin)",
  })
  async verify(@Req() request: FastifyRequest) {
    if (request.headers['content-type'] !== 'application/zip') {
      throw apiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'send the bundle as the body with Content-Type application/zip', [{ path: '(body)', message: 'expected application/zip' }]);
    }
    // The signer is judged by the keys this product recorded, never by those the bundle carries.
    const keys = await this.productKeys.pinned();
    const report = await verifyBundle((request.body as Readable).pipe(limitBytes(VERIFY_MAX_BYTES)), { keys });
    return { ...report, keysFrom: this.productKeys.keysFrom };
  }

  @Get('checkpoints/latest')
  @Roles('prosecutor', 'rule_author', 'auditor', 'admin')
  @ApiOperation({ summary: 'The latest signed checkpoint of every chain head and of the access log (prosecutor, rule_author, auditor, admin)' })
  async latest() {
    const checkpoint = await this.checkpoints.latest();
    if (checkpoint === null) throw apiError(HttpStatus.NOT_FOUND, 'no checkpoint has been signed yet', []);
    return checkpoint;
  }

  @Get('checkpoints')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Every signed checkpoint since a time, to keep a copy outside the product (auditor, admin)' })
  async export(@Query() query: Record<string, string>, @CurrentPrincipal() principal: Principal) {
    const q = parseOr422(CheckpointsQuery, query, 'query');
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'export_checkpoints', subjectKind: 'ledger', subjectId: 'checkpoints', details: q });
    return { items: await this.checkpoints.since(new Date(q.from ?? 0)) };
  }

  @Post('access-log/verify')
  @HttpCode(HttpStatus.OK)
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Recompute the access log chains, hold them to every signed checkpoint, and name any edited, deleted, inserted or unchained row (auditor, admin)' })
  async verifyAccessLog(@CurrentPrincipal() principal: Principal) {
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
