/**
 * Concurrency races over real HTTP (R5, R7, R8, F9 in the security checklist): many clients fire
 * the same request at once and the database must let exactly one through. Shared by the default
 * suite (test/security/races.test.ts) and the heavier run (test/long/races.test.ts), which only
 * differ in how many requests they send.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import type { TestDialect } from '../../helpers/dialects.ts';

export interface RaceApp {
  t: TestApp;
  base: string;
  close(): Promise<void>;
}

/** The in-process app on a real socket, with registration open and limits out of the way. */
export async function startRaceApp(dialect: TestDialect): Promise<RaceApp> {
  const t = await buildTestApp(dialect, {
    REGISTRATION: 'open',
    REGISTER_RATE_LIMIT_PER_HOUR: '1000000',
    RATE_LIMIT_PER_MINUTE: '1000000',
  });
  // 2,000 clients connect at once: a backlog above Node's default 511, or the kernel resets the surplus.
  await t.app.listen({ host: '127.0.0.1', port: 0, backlog: 4096 });
  const addr = t.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { t, base: `http://127.0.0.1:${port}`, close: () => t.close() };
}

interface Answer {
  status: number;
  body: string;
  headers: Headers;
}

async function send(url: string, init: RequestInit): Promise<Answer> {
  const r = await fetch(url, init);
  return { status: r.status, body: await r.text(), headers: r.headers };
}

const json = (key: string | undefined, body: unknown, extra: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(key ? bearer(key) : {}), ...extra },
  body: JSON.stringify(body),
});

/** Status → how many answers had it. */
export function tally(answers: Answer[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const a of answers) out[a.status] = (out[a.status] ?? 0) + 1;
  return out;
}

/** The same email in the spellings a client might send: case and surrounding whitespace. */
function variant(email: string, i: number): string {
  const [local, domain] = email.split('@') as [string, string];
  switch (i % 6) {
    case 0:
      return email;
    case 1:
      return email.toUpperCase();
    case 2:
      return ` ${email}`;
    case 3:
      return `${local[0]?.toUpperCase()}${local.slice(1)}@${domain.toUpperCase()}  `;
    case 4:
      return `\t${email.toUpperCase()}\n`;
    default:
      return `${email} `;
  }
}

/**
 * `n` concurrent self-registrations of one email through the native and the CVAT registration
 * routes (with and without a chosen username) → the users with that email afterwards.
 */
export async function registrationRace(app: RaceApp, n: number) {
  const email = `racer-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'Tr0ub4dor&3-horse-battery';
  const requests = Array.from({ length: n }, (_, i) => {
    const spelled = variant(email, i);
    if (i % 3 === 0) {
      return send(
        `${app.base}/api/auth/register`,
        json(undefined, { username: `cvatracer${i}`, email: spelled, password1: password, password2: password }),
      );
    }
    const username = i % 3 === 1 ? { username: `nativeracer${i}` } : {};
    return send(`${app.base}/v1/auth/register`, json(undefined, { email: spelled, password, ...username }));
  });
  const answers = await Promise.all(requests);
  const r = await sql<{ n: number }>`select count(*) as n from users where lower(email) like ${`%${email.split('@')[0]}%`}`.execute(
    app.t.runtime.handle.db,
  );
  return { answers, statuses: tally(answers), usersCreated: Number(r.rows[0]?.n ?? -1) };
}

/** `n` concurrent retries of one Overplane POST with one Idempotency-Key → rows written. */
export async function idempotencyRace(app: RaceApp, n: number) {
  const key = randomUUID();
  const email = `idem-${randomUUID().slice(0, 8)}@example.com`;
  const answers = await Promise.all(
    Array.from({ length: n }, () =>
      send(`${app.base}/api/core/user`, json(app.t.adminKey, { email, first_name: 'Once' }, { 'idempotency-key': key })),
    ),
  );
  // Stragglers answered 409 (the first was still running); a retry after it finished replays.
  const replay = await send(`${app.base}/api/core/user`, json(app.t.adminKey, { email, first_name: 'Once' }, { 'idempotency-key': key }));
  const db = app.t.runtime.handle.db;
  const users = await sql<{ n: number }>`select count(*) as n from users where email = ${email}`.execute(db);
  const keys = await sql<{ n: number }>`select count(*) as n from idempotency_keys where key = ${key}`.execute(db);
  return {
    answers,
    replay,
    statuses: tally(answers),
    userRows: Number(users.rows[0]?.n ?? -1),
    keyRows: Number(keys.rows[0]?.n ?? -1),
  };
}

/** `n` concurrent PATCHes of one user, all with the ETag read before → statuses and the final row. */
export async function ifMatchRace(app: RaceApp, n: number) {
  const { user } = await app.t.newUser();
  const got = await fetch(`${app.base}/v1/users/${user.id}`, { headers: bearer(app.t.adminKey) });
  const etag = got.headers.get('etag') as string;
  await got.text();
  const answers = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      send(`${app.base}/v1/users/${user.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'if-match': etag, ...bearer(app.t.adminKey) },
        body: JSON.stringify({ company: `writer ${i}` }),
      }),
    ),
  );
  const after = await app.t.core.users.findById(user.id);
  const winner = answers.find((a) => a.status === 200);
  return { answers, statuses: tally(answers), etag, winner, after };
}

/** The same for a membership's role (the guarded, transactional write path). */
export async function membershipIfMatchRace(app: RaceApp, n: number) {
  const slug = `race-${randomUUID().slice(0, 8)}`;
  await send(`${app.base}/v1/orgs`, json(app.t.adminKey, { slug, name: 'Race' }));
  const { user } = await app.t.newUser();
  const added = await send(`${app.base}/v1/orgs/${slug}/members`, json(app.t.adminKey, { user_id: user.id, role: 'worker' }));
  const etag = added.headers.get('etag') as string;
  const roles = ['maintainer', 'supervisor'];
  const answers = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      send(`${app.base}/v1/orgs/${slug}/members/${user.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'if-match': etag, ...bearer(app.t.adminKey) },
        body: JSON.stringify({ role: roles[i % 2], is_active: i % 3 !== 0 }),
      }),
    ),
  );
  return { answers, statuses: tally(answers) };
}

/** `n` concurrent accepts of one invitation token by its invitee → memberships created. */
export async function invitationRace(app: RaceApp, n: number) {
  const slug = `inv-${randomUUID().slice(0, 8)}`;
  await send(`${app.base}/v1/orgs`, json(app.t.adminKey, { slug, name: 'Inv' }));
  const invitee = await app.t.newUser();
  const inv = await send(`${app.base}/v1/orgs/${slug}/invitations`, json(app.t.adminKey, { email: invitee.user.email, role: 'worker' }));
  const token = (JSON.parse(inv.body) as { token: string }).token;
  const answers = await Promise.all(
    Array.from({ length: n }, () => send(`${app.base}/v1/invitations/accept`, json(invitee.key, { token }))),
  );
  const org = await app.t.core.orgs.getBySlug(slug);
  const members = org ? (await app.t.core.memberships.listByOrg(org.id)).filter((m) => m.user.id === invitee.user.id).length : -1;
  return { answers, statuses: tally(answers), members };
}

/** `n` concurrent rotations of one API key (with or without overlap) → successor keys minted. */
export async function rotationRace(app: RaceApp, n: number, overlapSeconds: number) {
  const { user } = await app.t.newUser();
  const admin = { user: app.t.admin, credential: { kind: 'api_key' as const, id: 'test', scopes: ['read', 'write', 'admin'] as const } };
  const keys = await app.t.core.apiKeys.list(admin, user);
  const key = keys[0];
  const answers = await Promise.all(
    Array.from({ length: n }, () =>
      send(
        `${app.base}/v1/users/${user.id}/api-keys/${key?.uuid}/rotate`,
        json(app.t.adminKey, overlapSeconds > 0 ? { overlap_seconds: overlapSeconds } : {}),
      ),
    ),
  );
  const after = await app.t.core.apiKeys.list(admin, user);
  return { answers, statuses: tally(answers), minted: after.length - keys.length };
}

export const fiveHundreds = (answers: Answer[]) => answers.filter((a) => a.status >= 500).length;
