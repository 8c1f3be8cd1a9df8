import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post, Put, Query, Req, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppConfig } from '@qadaga/config';
import { AccessLogRepository, LOCALES, USER_ROLES, UserRepository, type User } from '@qadaga/db';
import { APP_CONFIG } from '../core/tokens.js';
import { apiError } from '../http/api-error.js';
import { parseOr422 } from '../http/parse.js';
import { CurrentPrincipal } from './current-principal.js';
import type { Principal } from './principal.js';
import { Public, Roles } from './roles.decorator.js';
import { LoginThrottle } from './login-throttle.js';
import { SessionCache } from './session-cache.js';

const LoginBody = z.strictObject({
  username: z.string().trim().min(1, 'required').max(100),
  password: z.string().min(1, 'required').max(1_000),
});
const LocaleBody = z.strictObject({ locale: z.enum(LOCALES) });
const UsersQuery = z.strictObject({ role: z.enum(USER_ROLES).optional() });

const PEOPLE = ['prosecutor', 'rule_author', 'auditor', 'admin'] as const;

const publicUser = (u: User) => ({
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

@ApiTags('auth')
@Controller('v1')
export class AuthController {
  constructor(
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(SessionCache) private readonly sessions: SessionCache,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
  ) {}

  @Post('auth/login')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in with a username and password; answers a session token that expires (anyone; attempts are rate-limited per address)' })
  async login(@Body() body: unknown, @Req() request: FastifyRequest) {
    const { username, password } = parseOr422(LoginBody, body);
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

  @Post('auth/logout')
  @Roles(...PEOPLE)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End the current session (prosecutor, rule_author, auditor, admin)' })
  async logout(@Req() request: FastifyRequest, @CurrentPrincipal() principal: Principal): Promise<void> {
    requireUser(principal);
    const token = (request.headers.authorization ?? '').replace(/^Bearer\s+/u, '').trim();
    await this.users.endSession(token);
    this.sessions.forget(token);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'sign_out', subjectKind: 'user', subjectId: principal.userId ?? principal.id });
  }

  @Get('me')
  @Roles(...PEOPLE)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user: name, roles, language, and the officer or unit they are recused from (prosecutor, rule_author, auditor, admin)' })
  async me(@CurrentPrincipal() principal: Principal) {
    const user = await this.users.byId(requireUser(principal));
    if (user === null) throw new UnauthorizedException('the account no longer exists');
    return publicUser(user);
  }

  @Put('me/locale')
  @Roles(...PEOPLE)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Choose the language of the workbench: ru, kk or en (prosecutor, rule_author, auditor, admin)' })
  async setLocale(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { locale } = parseOr422(LocaleBody, body);
    const user = await this.users.setLocale(requireUser(principal), locale);
    if (user === null) throw new UnauthorizedException('the account no longer exists');
    return publicUser(user);
  }

  @Get('users')
  @Roles('prosecutor', 'auditor', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'People who use the workbench, optionally by role, e.g. to assign a case (prosecutor, auditor, admin)' })
  async list(@Query() query: Record<string, string>) {
    const { role } = parseOr422(UsersQuery, query, 'query');
    const users = await this.users.list(role);
    return { items: users.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, roles: u.roles })) };
  }
}
