import { Controller, Inject } from '@nestjs/common';
import type { AppConfig } from '@qadaga/config';
import { placeEndpoints as api, type ParsedQueryOf } from '@qadaga/contracts/api';
import { PlacesRepository } from '@qadaga/db';
import { APP_CONFIG } from '../core/tokens.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { resolvePeriod } from '../profiles/period-query.js';

/** Counts only, no plates or officers: nothing personal to record in the access log. */
@Controller()
export class PlacesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PlacesRepository) private readonly places: PlacesRepository,
  ) {}

  @Endpoint(api.list)
  async list(@Input('query') q: ParsedQueryOf<typeof api.list>) {
    const period = resolvePeriod(q, this.config.timeZone, { defaultDays: 30, maxDays: 366 });
    return this.places.view(period, q.district ?? null);
  }
}
