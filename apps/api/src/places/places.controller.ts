import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { AppConfig } from '@qadaga/config';
import { PlacesRepository } from '@qadaga/db';
import { Roles } from '../auth/roles.decorator.js';
import { APP_CONFIG } from '../core/tokens.js';
import { parseOr422 } from '../http/parse.js';
import { periodFields, resolvePeriod } from '../profiles/period-query.js';

const PlacesQuery = z.strictObject({ ...periodFields, district: z.string().trim().min(1).max(120).optional() });

/** Counts only, no plates or officers: nothing personal to record in the access log. */
@ApiTags('places')
@ApiBearerAuth()
@Controller('v1')
export class PlacesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PlacesRepository) private readonly places: PlacesRepository,
  ) {}

  @Get('places')
  @Roles('prosecutor', 'auditor', 'admin')
  @ApiOperation({
    summary: 'Violations, cancellations and open flags per district, and detections on a grid of 0.005-degree cells (lat, lon of the cell centre) for a map drawn without tiles',
  })
  async list(@Query() query: Record<string, string>) {
    const q = parseOr422(PlacesQuery, query, 'query');
    const period = resolvePeriod(q, this.config.timeZone, { defaultDays: 30, maxDays: 366 });
    return this.places.view(period, q.district ?? null);
  }
}
