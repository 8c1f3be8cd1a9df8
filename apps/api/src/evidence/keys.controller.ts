import { Controller, Get, Inject } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/roles.decorator.js';
import { ProductKeys } from './product-keys.js';

/** Requests per minute per client address: the endpoint needs no credentials, so it is limited apart from keyed clients. */
export const KEYS_PER_MINUTE = 60;

/**
 * The product's public signing keys. Public: whoever is handed a bundle (a court, a
 * defence lawyer) must be able to get the keys to verify it with, and they hold no secret.
 */
@ApiTags('evidence')
@Controller('v1')
export class KeysController {
  constructor(@Inject(ProductKeys) private readonly keys: ProductKeys) {}

  @Get('keys')
  @Public()
  // Keyed by address alone: a made-up Authorization header must not buy a fresh allowance.
  @RouteConfig({ rateLimit: { max: KEYS_PER_MINUTE, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => `public:${request.ip}` } })
  @ApiOperation({
    summary:
      'Open, no sign-in: the public keys that sign evidence bundles and checkpoints, the active one first: { keys: [{ keyId, publicKey (raw Ed25519, base64), algorithm, validFrom, validUntil }] }. validFrom null: it signed before periods were recorded; validUntil null: it signs now. Save the answer to a file and pass it to `npx qadaga verify-bundle FILE --keys keys.json`.',
  })
  async list() {
    return { keys: await this.keys.published() };
  }
}
