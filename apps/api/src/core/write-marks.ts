import type { Redis } from 'ioredis';
import type { WriteMarks } from '@qadaga/db';

/** Each person's last write position in Redis, so every API process routes their reads alike. */
export function redisWriteMarks(redis: Redis): WriteMarks {
  const key = (person: string) => `qadaga:write-lsn:${person}`;
  return {
    get: async (person) => redis.get(key(person)),
    set: async (person, lsn, ttlSeconds) => {
      await redis.set(key(person), lsn, 'EX', ttlSeconds);
    },
  };
}
