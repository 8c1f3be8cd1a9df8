import { ForbiddenException, Inject, Injectable, InternalServerErrorException, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Role } from '@qadaga/db';
import { KeyCache } from './key-cache.js';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator.js';

function credentialOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim();
  const key = request.headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : null;
}

/**
 * Deny by default: an endpoint that states no roles is a programming error and is
 * refused for everybody, so forgetting the decorator can never open an endpoint.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(KeyCache) private readonly keys: KeyCache,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles === undefined || roles.length === 0) throw new InternalServerErrorException('endpoint declares no roles');

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const credential = credentialOf(request);
    if (credential === null) throw new UnauthorizedException('credentials required: send "Authorization: Bearer <key>"');
    const key = await this.keys.authenticate(credential);
    if (key === null) throw new UnauthorizedException('unknown or revoked key');
    request.principal = { id: `key:${key.keyId}`, roles: key.roles, sourceCode: key.sourceCode };
    if (!key.roles.some((r) => roles.includes(r))) {
      throw new ForbiddenException(`this endpoint is for: ${roles.join(', ')}`);
    }
    return true;
  }
}
