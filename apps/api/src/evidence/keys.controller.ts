import { Controller, Inject } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { evidenceEndpoints as api } from '@qadaga/contracts/api';
import { Endpoint } from '../http/endpoint.decorator.js';
import { ProductKeys } from './product-keys.js';

/** Requests per minute per client address: the endpoint needs no credentials, so it is limited apart from keyed clients. */
export const KEYS_PER_MINUTE = 60;

/**
 * The product's public signing keys. Public: whoever is handed a bundle (a court, a
 * defence lawyer) must be able to get the keys to verify it with, and they hold no secret.
 */
@Controller()
export class KeysController {
  constructor(@Inject(ProductKeys) private readonly keys: ProductKeys) {}

  @Endpoint(api.keys)
  // Keyed by address alone: a made-up Authorization header must not buy a fresh allowance.
  @RouteConfig({ rateLimit: { max: KEYS_PER_MINUTE, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => `public:${request.ip}` } })
  async list() {
    return { keys: await this.keys.published() };
  }
}
