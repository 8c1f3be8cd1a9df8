import { HttpException, HttpStatus } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Sign-in attempts per client address, counted in Redis so every API process shares the
 * count (an attacker cannot multiply attempts by the number of processes). If Redis is
 * down, each process falls back to counting on its own rather than letting everyone in.
 */
export class LoginThrottle {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: Redis, attemptsPerMinute: number) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'qadaga:login',
      points: attemptsPerMinute,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ points: attemptsPerMinute, duration: 60 }),
    });
  }

  async attempt(address: string): Promise<void> {
    try {
      await this.limiter.consume(address);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new HttpException(
        { statusCode: HttpStatus.TOO_MANY_REQUESTS, message: `too many sign-in attempts from this address: try again in ${seconds} s`, reasons: [] },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }
}
