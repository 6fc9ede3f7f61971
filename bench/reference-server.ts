/**
 * The reference the issues measure Roster against: a bare Fastify route, in its own process, that
 * does what authentication needs and nothing more: SHA-256 of the presented key, one indexed
 * lookup of api_keys joined to users by secret_hash, the revoked/expired/active checks, and the
 * user row as JSON. Same database file (or PostgreSQL database), same driver, no framework
 * plugins, no logging.
 *
 * Env: DATABASE_URL (`sqlite:<file>` or `postgres://…`), PORT, HOST.
 */
import { createHash } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';

// The whole user row (as Roster's /v1/users/me returns every field), so both answer the same bytes' worth.
const lookup = `select u.*, k.revoked_at as key_revoked_at, k.expires_at as key_expires_at
  from api_keys k join users u on u.id = k.user_id where k.secret_hash = `;

type Found = Record<string, unknown> & { is_active: number; key_revoked_at: string | null; key_expires_at: string | null };

function openLookup(url: string): (hash: string) => Promise<Found | undefined> {
  if (url.startsWith('sqlite:')) {
    const db = new SqliteDatabase(url.slice('sqlite:'.length), { readonly: true });
    db.pragma('busy_timeout = 5000');
    const stmt = db.prepare(`${lookup}?`);
    return async (hash) => stmt.get(hash) as Found | undefined;
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', () => {});
  return async (hash) => (await pool.query<Found>({ name: 'ref-lookup', text: `${lookup}$1`, values: [hash] })).rows[0];
}

const find = openLookup(process.env.DATABASE_URL ?? '');
const app = Fastify({ logger: false });

app.get('/me', async (req, reply) => {
  const auth = req.headers.authorization;
  const secret = auth?.startsWith('Bearer ') ? auth.slice(7) : (req.headers['x-api-key'] as string | undefined);
  if (!secret) return reply.code(401).send({ detail: 'no credentials' });
  const row = await find(createHash('sha256').update(secret).digest('hex'));
  if (!row || row.key_revoked_at || (row.key_expires_at && Date.parse(row.key_expires_at) <= Date.now()) || !row.is_active) {
    return reply.code(401).send({ detail: 'invalid credentials' });
  }
  const { key_revoked_at: _r, key_expires_at: _e, password_hash: _p, ...user } = row;
  return user;
});
app.get('/readyz', async () => ({ status: 'ready' }));

await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
const shutdown = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
