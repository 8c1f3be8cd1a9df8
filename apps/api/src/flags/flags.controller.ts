import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { uuid } from '@qadaga/contracts';
import { SCHEME_IDS, SUBJECT_KINDS } from '@qadaga/domain';
import { AccessLogRepository, FLAG_STATUSES, FlagRepository } from '@qadaga/db';
import { Roles } from '../auth/roles.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { apiError } from '../http/api-error.js';
import { RecusalCheck, isRecused, recusedSubjects, refuseRecused } from '../auth/recusal.js';
import { parseOr422 } from '../http/parse.js';
import { UuidPipe } from '../http/uuid.pipe.js';

const FLAG_ID = new UuidPipe('flag');

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) => s.split(',').filter((x) => x !== ''))
    .pipe(z.array(z.enum(values)));

const ListQuery = z.strictObject({
  rule: z.string().max(100).optional(),
  scheme: z.enum(SCHEME_IDS as [string, ...string[]]).optional(),
  severity: csv(['low', 'medium', 'high', 'critical']).optional(),
  status: csv(FLAG_STATUSES as unknown as [string, ...string[]]).optional(),
  subjectKind: z.enum(SUBJECT_KINDS).optional(),
  subject: z.string().max(200).optional(),
  unit: z.string().max(64).optional(),
  district: z.string().max(120).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

const StatusBody = z.strictObject({
  status: z.enum(['new', 'triaged', 'dismissed', 'in_case']),
  reason: z.string().trim().min(3, 'state why (at least 3 characters)').max(2_000),
});

const BulkStatusBody = z.strictObject({
  ids: z.array(uuid).min(1, 'select at least one flag').max(500, 'at most 500 flags at once'),
  status: z.enum(['new', 'triaged', 'dismissed']),
  reason: z.string().trim().min(3, 'state why (at least 3 characters)').max(2_000),
});

const SuppressBody = z.strictObject({
  ruleId: z.string().min(1).max(100),
  subjectKind: z.enum(SUBJECT_KINDS),
  subjectId: z.string().min(1).max(200),
  until: z.iso.datetime({ offset: true }).refine((v) => Date.parse(v) > Date.now(), 'must be in the future'),
  reason: z.string().trim().min(3, 'state why (at least 3 characters)').max(2_000),
});

/** Flags name officers and plates: every read is written to the access log first. */
@ApiTags('flags')
@ApiBearerAuth()
@Controller('v1')
export class FlagsController {
  constructor(
    @Inject(FlagRepository) private readonly flags: FlagRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(RecusalCheck) private readonly recusal: RecusalCheck,
  ) {}

  @Get('flags')
  @Roles('prosecutor', 'auditor', 'admin')
  @ApiOperation({ summary: 'List flags: filter by rule, scheme, severity, status, subject, unit, district and time; most severe first. The total is exact up to 1,000 matches; above, totalExact is false and the total (1,001) means “at least”' })
  async list(@Query() query: Record<string, string>, @CurrentPrincipal() principal: Principal) {
    const q = parseOr422(ListQuery, query, 'query');
    // The record and the page are read side by side; the answer waits for both, so no
    // page leaves without its record (a failed record fails the request).
    const [, page] = await Promise.all([
      this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'list_flags', subjectKind: 'officer', subjectId: q.subject ?? '*', details: q }),
      this.flags.list({
      excludeSubjects: recusedSubjects(principal),
      ...(q.rule === undefined ? {} : { ruleId: q.rule }),
      ...(q.scheme === undefined ? {} : { scheme: q.scheme }),
      ...(q.severity === undefined ? {} : { severity: q.severity }),
      ...(q.status === undefined ? {} : { status: q.status as (typeof FLAG_STATUSES)[number][] }),
      ...(q.subjectKind === undefined ? {} : { subjectKind: q.subjectKind }),
      ...(q.subject === undefined ? {} : { subjectId: q.subject }),
      ...(q.unit === undefined ? {} : { unit: q.unit }),
      ...(q.district === undefined ? {} : { district: q.district }),
      ...(q.from === undefined ? {} : { raisedFrom: new Date(q.from) }),
      ...(q.to === undefined ? {} : { raisedTo: new Date(q.to) }),
      ...(q.limit === undefined ? {} : { limit: q.limit }),
      ...(q.offset === undefined ? {} : { offset: q.offset }),
      }),
    ]);
    return page;
  }

  @Get('flags/:id')
  @Roles('prosecutor', 'auditor', 'admin')
  @ApiOperation({ summary: 'One flag: explanation, facts, peer baseline, rule version, the exact events behind it with their hashes, and its history' })
  async get(@Param('id', FLAG_ID) id: string, @CurrentPrincipal() principal: Principal) {
    // The flag and its history in one round trip; nothing of it leaves before the recusal check and the record.
    const flag = await this.flags.getWithHistory(id);
    if (flag === null) throw apiError(HttpStatus.NOT_FOUND, `no flag ${id}`, [{ path: 'id', message: 'unknown flag' }]);
    if (isRecused(principal, flag.subjectId, flag.unit)) throw refuseRecused('this flag');
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'view_flag', subjectKind: flag.subjectKind === 'vehicle' ? 'plate' : 'officer', subjectId: flag.subjectId });
    return flag;
  }

  @Post('flags/:id/status')
  @HttpCode(200)
  @Roles('prosecutor', 'admin')
  @ApiOperation({ summary: 'Change a flag status (new, triaged, dismissed, in_case) with a stated reason' })
  async setStatus(@Param('id', FLAG_ID) id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseOr422(StatusBody, body);
    const before = await this.flags.get(id);
    if (before === null) throw apiError(HttpStatus.NOT_FOUND, `no flag ${id}`, [{ path: 'id', message: 'unknown flag' }]);
    if (isRecused(principal, before.subjectId, before.unit)) throw refuseRecused('this flag');
    const flag = await this.flags.setStatus(id, b.status, b.reason, principal.id);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'flag_status', subjectKind: 'flag', subjectId: id, reason: b.reason, details: { status: b.status } });
    return flag;
  }

  @Post('flags/bulk-status')
  @HttpCode(200)
  @Roles('prosecutor', 'admin')
  @ApiOperation({ summary: 'Triage or dismiss many flags at once with one stated reason; all or none change (prosecutor, admin)' })
  async bulkStatus(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseOr422(BulkStatusBody, body);
    const ids = [...new Set(b.ids)];
    const found = new Map((await this.flags.getMany(ids)).map((f) => [f.id, f]));
    const reasons = ids.flatMap((id, i) => {
      const flag = found.get(id);
      if (flag === undefined) return [{ path: `ids.${i}`, message: 'unknown flag' }];
      if (isRecused(principal, flag.subjectId, flag.unit)) return [{ path: `ids.${i}`, message: 'you are recused from this flag' }];
      if (flag.status === 'in_case') return [{ path: `ids.${i}`, message: 'the flag is in a case; change it there' }];
      return [];
    });
    if (reasons.length > 0) throw apiError(HttpStatus.UNPROCESSABLE_ENTITY, 'no flag was changed', reasons);
    const updated = await this.flags.setStatusMany(ids, b.status, b.reason, principal.id);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'flag_status_bulk', subjectKind: 'flag', subjectId: ids.join(','), reason: b.reason, details: { status: b.status, count: ids.length } });
    return { updated };
  }

  @Post('suppressions')
  @Roles('prosecutor', 'admin')
  @ApiOperation({ summary: 'Suppress a subject for a rule until a date, with a reason (no new flag is raised for it meanwhile)' })
  async suppress(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseOr422(SuppressBody, body);
    // Suppressing is judging: nobody silences the rules about their own officer record or unit.
    const [recused] = await this.recusal.coversSubjects(principal, [{ kind: b.subjectKind, id: b.subjectId }]);
    if (recused === true) {
      throw apiError(HttpStatus.FORBIDDEN, 'you are recused from this subject', [{ path: 'subjectId', message: 'concerns your own officer record or unit' }]);
    }
    const id = await this.flags.suppress({ ...b, until: new Date(b.until), actor: principal.id });
    return { id };
  }
}
