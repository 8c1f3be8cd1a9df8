import { Controller, Inject } from '@nestjs/common';
import { integrityEndpoints as api, type ParsedQueryOf } from '@qadaga/contracts/api';
import { IntegrityAlarmRepository } from '@qadaga/db';
import { Endpoint, Input } from '../http/endpoint.decorator.js';

/** Integrity alarms: checkpoints the signer refused because the chains no longer extend the last one. */
@Controller()
export class IntegrityController {
  constructor(@Inject(IntegrityAlarmRepository) private readonly alarms: IntegrityAlarmRepository) {}

  @Endpoint(api.alarms)
  async list(@Input('query') q: ParsedQueryOf<typeof api.alarms>) {
    return { items: await this.alarms.since(new Date(q.from ?? 0), q.limit ?? 100) };
  }
}
