/**
 * Bulk seeding for the benchmark: many users, organizations (one large, many small) with
 * memberships, then a few fixtures the scenarios need (API keys, users with a password).
 *
 * Two parts on purpose:
 * - `bulkPeople` writes the population. The query-engine branch brings a shared
 *   `seedDatabase(handle, {users, orgs, membersPerOrg, onProgress})` in src/storage/seed.ts; once it
 *   is on main, `bulkPeople` can be replaced by a call to it (keep the large organization: the
 *   tenancy target is measured on it).
 * - `addFixtures` adds what the harness must know secrets of. It goes through the same hashing as
 *   the server (`sha256Hex` of an `rst_…` secret, argon2id for passwords), imported, not copied.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { generateApiKeySecret } from '../src/core/auth/api-keys.service.ts';
import { hashPassword } from '../src/core/auth/passwords.ts';
import { sha256Hex } from '../src/core/ids.ts';
import { prng } from '../src/storage/prng.ts';
import type { BulkWriter, Row } from './bulk-writer.ts';
import { person } from './people.ts';

export interface BenchSeedOptions {
  /** users to add besides the bootstrap admin */
  users: number;
  /** organizations in all, the large one included */
  orgs: number;
  /** members of each small organization */
  membersPerOrg: number;
  /** members of the large organization (spread evenly over the users, as real sign-ups are) */
  largeOrgMembers: number;
  /** users that get an API key (all members of the large organization) */
  apiKeyUsers: number;
  /** users that get `loginPassword` (argon2id, hashed once and shared) */
  loginUsers: number;
  loginPassword: string;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface SeededKey {
  userId: number;
  secret: string;
}

export interface BenchFixtures {
  /** rows in `users`, admin included */
  totalUsers: number;
  firstSeededId: number;
  lastSeededId: number;
  keys: SeededKey[];
  loginUsers: { userId: number; username: string; email: string }[];
  largeOrg: { id: number; slug: string; members: number };
  smallOrg: { id: number; slug: string; members: number };
  seconds: number;
}

/** Sizes that follow the user count: 10 % of users in one organization, one small org per 10k users. */
export function defaultSeedOptions(users: number, loginPassword: string): BenchSeedOptions {
  return {
    users,
    orgs: Math.max(2, Math.round(users / 10_000)),
    membersPerOrg: Math.min(50, Math.max(1, Math.floor(users / 4))),
    largeOrgMembers: Math.max(1, Math.floor(users / 10)),
    apiKeyUsers: Math.min(10, Math.max(1, Math.floor(users / 10))),
    loginUsers: Math.min(20, users),
    loginPassword,
  };
}

const userColumns = [
  'id',
  'uuid',
  'ref',
  'username',
  'email',
  'first_name',
  'last_name',
  'display_name',
  'company',
  'job_title',
  'timezone',
  'is_active',
  'created_at',
] as const;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `user_` + 14 base62 characters, like `newUserRef`, from one pre-drawn random buffer (speed). */
function refMaker(): () => string {
  let pool = randomBytes(0);
  let at = 0;
  return () => {
    if (at + 14 > pool.length) {
      pool = randomBytes(14 * 65536);
      at = 0;
    }
    let s = 'user_';
    for (let i = 0; i < 14; i++) s += BASE62[(pool[at++] as number) % 62];
    return s;
  };
}

const BATCH = 10_000;
// Sign-ups spread over three years before the seed time, in id order.
const SPAN_MS = 3 * 365 * 24 * 3600 * 1000;

async function bulkPeople(w: BulkWriter, o: BenchSeedOptions, firstId: number, seedTime: number) {
  const random = prng(0x5eed);
  const ref = refMaker();
  const step = SPAN_MS / Math.max(1, o.users);
  const start = seedTime - SPAN_MS;
  for (let done = 0; done < o.users; done += BATCH) {
    const rows: Row[] = [];
    for (let i = done; i < Math.min(o.users, done + BATCH); i++) {
      const id = firstId + i;
      const p = person(i + 1, random, Math.floor(start + i * step));
      rows.push([
        id,
        randomUUID(),
        ref(),
        p.username,
        p.email,
        p.firstName,
        p.lastName,
        p.displayName,
        p.company,
        p.jobTitle,
        p.timezone,
        p.isActive ? 1 : 0,
        p.createdAt,
      ]);
    }
    await w.insert('users', userColumns, rows);
    o.onProgress?.('users', Math.min(o.users, done + BATCH), o.users);
  }

  const now = new Date(seedTime).toISOString();
  const orgRows: Row[] = [];
  for (let k = 1; k <= o.orgs; k++) {
    const slug = k === 1 ? 'bench-large' : `bench-org-${k}`;
    orgRows.push([k, randomUUID(), slug, k === 1 ? 'Large Bench Organization' : `Bench Organization ${k}`, now]);
  }
  await w.insert('organizations', ['id', 'uuid', 'slug', 'name', 'created_at'], orgRows);

  const memberColumns = ['user_id', 'org_id', 'role', 'is_active', 'joined_at'] as const;
  const role = (n: number) => (n === 0 ? 'owner' : n % 20 === 0 ? 'maintainer' : n % 10 === 0 ? 'supervisor' : 'worker');
  const stride = largeOrgStride(o);
  const total = o.largeOrgMembers + (o.orgs - 1) * o.membersPerOrg;
  let members: Row[] = [];
  let written = 0;
  const flush = async (force: boolean) => {
    if (members.length >= BATCH || (force && members.length > 0)) {
      await w.insert('memberships', memberColumns, members);
      written += members.length;
      members = [];
      o.onProgress?.('memberships', written, total);
    }
  };
  for (let n = 0; n < o.largeOrgMembers; n++) {
    members.push([firstId + (n + 1) * stride - 1, 1, role(n), 1, now]);
    await flush(false);
  }
  for (let k = 2; k <= o.orgs; k++) {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(o.membersPerOrg, o.users)) chosen.add(firstId + Math.floor(random() * o.users));
    let n = 0;
    for (const userId of chosen) members.push([userId, k, role(n++), 1, now]);
    await flush(false);
  }
  await flush(true);
}

/** Members of the large organization are every `stride`-th seeded user. */
function largeOrgStride(o: BenchSeedOptions): number {
  return Math.max(1, Math.floor(o.users / Math.max(1, o.largeOrgMembers)));
}

async function addFixtures(w: BulkWriter, o: BenchSeedOptions, firstId: number, seedTime: number) {
  const now = new Date(seedTime).toISOString();
  const stride = largeOrgStride(o);
  // Key owners are spread over the id range and all members of the large organization.
  const keyOwners = Array.from(
    { length: o.apiKeyUsers },
    (_, n) => firstId + (Math.floor((n * o.largeOrgMembers) / o.apiKeyUsers) + 1) * stride - 1,
  );
  const keys: SeededKey[] = [];
  const keyRows: Row[] = keyOwners.map((userId) => {
    const { secret, prefix } = generateApiKeySecret();
    keys.push({ userId, secret });
    return [randomUUID(), userId, 'bench', prefix, sha256Hex(secret), JSON.stringify(['read', 'write']), now];
  });
  await w.insert('api_keys', ['uuid', 'user_id', 'name', 'prefix', 'secret_hash', 'scopes', 'created_at'], keyRows);

  const loginIds = Array.from({ length: o.loginUsers }, (_, n) => firstId + n);
  const hash = await hashPassword(o.loginPassword);
  const owners = [...new Set([...keyOwners, ...loginIds])];
  await w.query(`update users set is_active = 1 where id in (${owners.map(() => '?').join(',')})`, owners);
  if (loginIds.length > 0) {
    await w.query(`update users set password_hash = ? where id in (${loginIds.map(() => '?').join(',')})`, [hash, ...loginIds]);
  }
  const loginUsers = loginIds.length
    ? await w.query<{ userId: number; username: string; email: string }>(
        `select id as "userId", username, email from users where id in (${loginIds.map(() => '?').join(',')}) order by id`,
        loginIds,
      )
    : [];
  return { keys, loginUsers };
}

/**
 * Seeds `o.users` users after the rows already there (the bootstrap admin). Runs in one
 * transaction with secondary indexes suspended; returns what the scenarios need to know.
 */
export async function seedBench(w: BulkWriter, o: BenchSeedOptions): Promise<BenchFixtures> {
  const started = performance.now();
  const seedTime = Date.now();
  const [maxRow] = await w.query<{ m: number | null }>('select max(id) as m from users');
  const firstId = Number(maxRow?.m ?? 0) + 1;
  const existingOrgs = await w.query<{ n: number }>('select count(*) as n from organizations');
  if (Number(existingOrgs[0]?.n ?? 0) > 0) throw new Error('seedBench expects a freshly bootstrapped database');

  const restore = await w.suspendIndexes(['users', 'memberships']);
  await w.transaction(() => bulkPeople(w, o, firstId, seedTime));
  o.onProgress?.('indexes', 0, 1);
  await restore();
  o.onProgress?.('indexes', 1, 1);
  let fixtures: Awaited<ReturnType<typeof addFixtures>> = { keys: [], loginUsers: [] };
  await w.transaction(async () => {
    fixtures = await addFixtures(w, o, firstId, seedTime);
  });
  await w.syncSequences(['users', 'organizations', 'memberships', 'api_keys']);
  o.onProgress?.('analyze', 0, 1);
  await w.maintain();
  o.onProgress?.('analyze', 1, 1);
  const [count] = await w.query<{ n: number }>('select count(*) as n from users');
  const smallMembers = Math.min(o.membersPerOrg, o.users);
  return {
    totalUsers: Number(count?.n ?? 0),
    firstSeededId: firstId,
    lastSeededId: firstId + o.users - 1,
    keys: fixtures.keys,
    loginUsers: fixtures.loginUsers,
    largeOrg: { id: 1, slug: 'bench-large', members: o.largeOrgMembers },
    smallOrg: { id: 2, slug: 'bench-org-2', members: o.orgs > 1 ? smallMembers : 0 },
    seconds: (performance.now() - started) / 1000,
  };
}
