// Connections to a PostgreSQL store. Numbers come back as JS numbers, as SQLite gives them: the
// schema's BIGINT columns (counts, sizes, ids) never pass 2^53, and count(*) is a BIGINT. An
// idle connection the server drops (a restart) is discarded by the pool, never an uncaught
// error; the next query opens a new one, or fails while the server is away.
import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

const INT8 = 20;
const NUMERIC = 1700;

const TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export interface PoolSettings {
  /** Connections this process may hold at once. */
  max: number;
  /** How long connecting may take before it counts as the server being away. */
  connectTimeoutMs: number;
}

export const POOL_DEFAULTS: PoolSettings = { max: 4, connectTimeoutMs: 10_000 };

export function createPool(url: string, settings: Partial<PoolSettings> = {}): Pool {
  const s = { ...POOL_DEFAULTS, ...settings };
  const pool = new pg.Pool({
    connectionString: url,
    max: s.max,
    connectionTimeoutMillis: s.connectTimeoutMs,
    application_name: 'govtables',
    types: TYPES as unknown as pg.CustomTypesConfig,
  });
  pool.on('error', () => undefined);
  return pool;
}

/** A client checked out for long (a run's lock): a dropped connection must not end the process. */
export async function holdClient(pool: Pool): Promise<PoolClient> {
  const client = await pool.connect();
  client.on('error', () => undefined);
  return client;
}
