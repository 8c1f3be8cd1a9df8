import { ForbiddenException, Inject, Injectable, InternalServerErrorException, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Role } from '@qadaga/db';
import { CredentialResolver } from './credential-resolver.js';
import { LoginThrottle } from './login-throttle.js';
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
    @Inject(CredentialResolver) private readonly credentials: CredentialResolver,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles === undefined || roles.length === 0) throw new InternalServerErrorException('endpoint declares no roles');

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const credential = credentialOf(request);
    if (credential === null) throw new UnauthorizedException('credentials required: send "Authorization: Bearer <key or session token>"');
    const principal = await this.credentials.resolve(credential);
    if (principal === null) {
      // A credential never issued is a guess, like a wrong password: it counts against the
      // same per-address allowance, so tokens cannot be guessed faster than passwords.
      if (!(await this.credentials.wasIssued(credential))) await this.throttle.attempt(request.ip);
      throw new UnauthorizedException('unknown, expired or revoked credentials: sign in again');
    }
    request.principal = principal;
    if (!principal.roles.some((r) => roles.includes(r))) {
      throw new ForbiddenException(`this endpoint is for: ${roles.join(', ')}`);
    }
    return true;
  }
}
