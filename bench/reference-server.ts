/**
 * The reference the issues measure Roster against: a bare Fastify route, in its own process, that
 * does what authentication needs and nothing more: SHA-256 of the presented key, the indexed
 * lookup of the key by secret_hash and of its owner, the revoked/expired/active checks, and the
 * user row as JSON. Same database file (or PostgreSQL database), same driver, no framework
 * plugins, no logging. The lookup takes the fastest shape each database has, the one Roster's
 * repository takes too (api-keys.repository.ts): on SQLite two point reads (a join returning the
 * user's columns costs several times more CPU there), on PostgreSQL one join, one round trip. So
 * the ratio measures what Roster adds around the lookup, not a difference in the lookup.
 *
 * Env: DATABASE_URL (`sqlite:<file>` or `postgres://…`), PORT, HOST.
 */
import { createHash } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';

// The whole user row (as Roster's /v1/users/me returns every field), so both answer the same bytes' worth.
// PostgreSQL's shape; SQLite's is two point reads (below).
const lookup = `select u.*, k.revoked_at as key_revoked_at, k.expires_at as key_expires_at
  from api_keys k join users u on u.id = k.user_id where k.secret_hash = `;

type Found = Record<string, unknown> & { is_active: number; key_revoked_at: string | null; key_expires_at: string | null };

function openLookup(url: string): (hash: string) => Promise<Found | undefined> {
  if (url.startsWith('sqlite:')) {
    const db = new SqliteDatabase(url.slice('sqlite:'.length), { readonly: true });
    db.pragma('busy_timeout = 5000');
    const key = db.prepare('select user_id, revoked_at, expires_at from api_keys where secret_hash = ?');
    const owner = db.prepare('select * from users where id = ?');
    return async (hash) => {
      const k = key.get(hash) as { user_id: number; revoked_at: string | null; expires_at: string | null } | undefined;
      if (!k) return undefined;
      const u = owner.get(k.user_id) as Found | undefined;
      return u && { ...u, key_revoked_at: k.revoked_at, key_expires_at: k.expires_at };
    };
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
