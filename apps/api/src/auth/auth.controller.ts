import { Controller, HttpStatus, Inject, Req, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '@qadaga/config';
import { authEndpoints as api, type LoginResult, type ParsedBodyOf, type ParsedQueryOf, type User } from '@qadaga/contracts/api';
import { AccessLogRepository, UserRepository } from '@qadaga/db';
import { APP_CONFIG } from '../core/tokens.js';
import { apiError } from '../http/api-error.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { CurrentPrincipal } from './current-principal.js';
import type { Principal } from './principal.js';
import { LoginThrottle } from './login-throttle.js';
import { SessionCache } from './session-cache.js';

const publicUser = (u: User): User => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  locale: u.locale,
  officerId: u.officerId,
  unit: u.unit,
});

function requireUser(principal: Principal): string {
  if (principal.userId === undefined) throw apiError(HttpStatus.FORBIDDEN, 'this endpoint is for signed-in users, not API keys', []);
  return principal.userId;
}

@Controller()
export class AuthController {
  constructor(
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(SessionCache) private readonly sessions: SessionCache,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
  ) {}

  @Endpoint(api.login)
  async login(@Input('body') { username, password }: ParsedBodyOf<typeof api.login>, @Req() request: FastifyRequest): Promise<LoginResult> {
    await this.throttle.attempt(request.ip);
    const user = await this.users.checkPassword(username, password);
    if (user === null) {
      await this.accessLog.record({ principal: `anonymous:${request.ip}`, roles: [], action: 'sign_in_failed', subjectKind: 'user', subjectId: username });
      throw new UnauthorizedException('wrong username or password');
    }
    const session = await this.users.startSession(user.id, this.config.auth.sessionTtlMinutes);
    await this.accessLog.record({ principal: `user:${user.id}`, roles: user.roles, action: 'sign_in', subjectKind: 'user', subjectId: user.id, details: { ip: request.ip } });
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: publicUser(user) };
  }

  @Endpoint(api.logout)
  async logout(@Req() request: FastifyRequest, @CurrentPrincipal() principal: Principal): Promise<void> {
    requireUser(principal);
    const token = (request.headers.authorization ?? '').replace(/^Bearer\s+/u, '').trim();
    await this.users.endSession(token);
    this.sessions.forget(token);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'sign_out', subjectKind: 'user', subjectId: principal.userId ?? principal.id });
  }

  @Endpoint(api.me)
  async me(@CurrentPrincipal() principal: Principal): Promise<User> {
    const user = await this.users.byId(requireUser(principal));
    if (user === null) throw new UnauthorizedException('the account no longer exists');
    return publicUser(user);
  }

  @Endpoint(api.setLocale)
  async setLocale(@Input('body') { locale }: ParsedBodyOf<typeof api.setLocale>, @CurrentPrincipal() principal: Principal): Promise<User> {
    const user = await this.users.setLocale(requireUser(principal), locale);
    if (user === null) throw new UnauthorizedException('the account no longer exists');
    return publicUser(user);
  }

  @Endpoint(api.users)
  async list(@Input('query') { role }: ParsedQueryOf<typeof api.users>) {
    const users = await this.users.list(role);
    return { items: users.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, roles: u.roles })) };
  }
}
