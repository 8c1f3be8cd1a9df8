import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Redis } from 'ioredis';
import type { AppConfig } from '@qadaga/config';
import { ApiKeyRepository, UserRepository } from '@qadaga/db';
import { APP_CONFIG, REDIS } from '../core/tokens.js';
import { LoginThrottle } from './login-throttle.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { CredentialResolver } from './credential-resolver.js';
import { KeyCache } from './key-cache.js';
import { RecusalCheck } from './recusal.js';
import { SessionCache } from './session-cache.js';

@Global()
@Module({
  controllers: [AuthController],
  providers: [
    { provide: KeyCache, useFactory: (keys: ApiKeyRepository) => new KeyCache(keys), inject: [ApiKeyRepository] },
    { provide: SessionCache, useFactory: (users: UserRepository) => new SessionCache(users), inject: [UserRepository] },
    CredentialResolver,
    {
      provide: LoginThrottle,
      useFactory: (redis: Redis, config: AppConfig) => new LoginThrottle(redis, config.auth.loginAttemptsPerMinute),
      inject: [REDIS, APP_CONFIG],
    },
    { provide: APP_GUARD, useClass: AuthGuard },
    RecusalCheck,
  ],
  exports: [SessionCache, RecusalCheck],
})
export class AuthModule {}
