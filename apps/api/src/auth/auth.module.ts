import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyRepository } from '@qadaga/db';
import { AuthGuard } from './auth.guard.js';
import { KeyCache } from './key-cache.js';

@Module({
  providers: [
    { provide: KeyCache, useFactory: (keys: ApiKeyRepository) => new KeyCache(keys), inject: [ApiKeyRepository] },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}
