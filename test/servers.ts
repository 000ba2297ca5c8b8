// The real Redis and PostgreSQL the queue and shared-store tests run against, named by
// GOVTABLES_TEST_REDIS and GOVTABLES_TEST_PG (`.ci/run` starts them with scripts/ci/servers.sh;
// by hand: `eval "$(bash scripts/ci/servers.sh start)"`). With CI set, a missing server fails
// the suite; elsewhere the suite is skipped with a line saying so. GOVTABLES_SERVERS (the
// folder servers.sh runs them from) lets the restart tests stop and start them.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { describe, test } from 'vitest';
import { ROOT } from './helpers.js';

export interface Servers {
  pg: string;
  redis: string;
  /** The servers.sh folder, when the servers can be restarted. */
  control: string | null;
}

export function testServers(): Servers | null {
  const pgUrl = process.env.GOVTABLES_TEST_PG?.trim();
  const redis = process.env.GOVTABLES_TEST_REDIS?.trim();
  if (!pgUrl || !redis) return null;
  return { pg: pgUrl, redis, control: process.env.GOVTABLES_SERVERS?.trim() || null };
}

const inCI = () => /^(1|true|yes)$/i.test(process.env.CI ?? '');

/**
 * `describe` for a suite that needs the servers (and, with `restarts`, the servers.sh folder to
 * restart them): run when they are given; in CI a failing test when not; elsewhere skipped loudly.
 */
export function describeWithServers(name: string, body: (s: Servers) => void, needs: { restarts?: boolean } = {}): void {
  const s = testServers();
  const missing = !s ? 'GOVTABLES_TEST_PG and GOVTABLES_TEST_REDIS are not set' : needs.restarts && !s.control ? 'GOVTABLES_SERVERS is not set (the servers cannot be restarted)' : null;
  if (!missing) {
    describe(name, () => body(s!));
    return;
  }
  const why = `${name}: ${missing}; start the servers with: eval "$(bash scripts/ci/servers.sh start)"`;
  if (inCI()) {
    describe(name, () => test('has its servers', () => { throw new Error(`CI: ${why}`); }));
    return;
  }
  process.stderr.write(`\n*** SKIPPED ${why}\n\n`);
  describe.skip(name, () => test('needs servers', () => undefined));
}

/** A new, empty database on the test server; returns its URL and a function that drops it. */
export async function freshDatabase(base: string, label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `gt_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A queue name no other test uses, for GOVTABLES_QUEUE. */
export function freshQueueName(label: string): string {
  return `test-${label}-${randomBytes(4).toString('hex')}`;
}

/** Stops (`down`) or starts again (`up`) one of the servers, same port, same data. */
export function serverControl(s: Servers, action: 'down' | 'up', which: 'redis' | 'postgres'): void {
  execFileSync('bash', [join(ROOT, 'scripts/ci/servers.sh'), action, which], { env: { ...process.env, GOVTABLES_SERVERS: s.control ?? '' }, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Rows of one query on `url`. */
export async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}
