// Connections to the queue's Redis. A worker's connection never gives up: while Redis is away
// (a restart) it reconnects every few seconds and BullMQ's commands wait for it, so a restart
// costs time, not jobs (Redis must keep its data across restarts: appendonly, see README).
import { Redis } from 'ioredis';

export function isRedisUrl(url: string): boolean {
  return /^rediss?:\/\//i.test(url);
}

/** A URL as it may be shown: without its password. */
export function displayRedis(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

export interface RedisChoice {
  /** Fail commands at once while Redis is away (a command-line `status`), instead of waiting for it. */
  failFast?: boolean;
}

export function redisConnection(url: string, choice: RedisChoice = {}): Redis {
  const conn = new Redis(url, {
    // BullMQ's blocking commands need this null; a `status` fails fast instead.
    maxRetriesPerRequest: choice.failFast ? 1 : null,
    enableOfflineQueue: !choice.failFast,
    connectTimeout: 10_000,
    retryStrategy: (times: number) => (choice.failFast && times > 2 ? null : Math.min(200 * times, 3000)),
    lazyConnect: false,
  });
  // Connection errors are retried by the strategy above; reported by the commands that fail.
  conn.on('error', () => undefined);
  return conn;
}
