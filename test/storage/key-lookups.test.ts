/**
 * API-key lookups remembered on SQLite (api-keys.repository.ts, `whileUnchanged` of
 * count-cache.ts) are always what the database holds: a key revoked, or an owner deactivated,
 * by this process or by another connection to the same file, is seen by the very next lookup.
 * A remembered lookup is frozen (requests share it). PostgreSQL reads every time. On both, the
 * one lookup gives what the separate reads of key, owner and groups give.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKeySecret } from '../../src/core/auth/api-keys.service.ts';
import { sha256Hex } from '../../src/core/ids.ts';
import type { Store } from '../../src/core/ports.ts';
import { whileUnchanged } from '../../src/storage/count-cache.ts';
import { type DbHandle, openDatabase } from '../../src/storage/db.ts';
import { migrateToLatest } from '../../src/storage/migrator.ts';
import { createStore } from '../../src/storage/store.ts';
import { dialects } from '../helpers/dialects.ts';
import { openQueryDb, type QueryDb } from '../query/helpers.ts';

async function keyFor(store: Store, n: number): Promise<{ hash: string; userId: number; keyId: number }> {
  const now = new Date().toISOString();
  const user = await store.users.insert({
    uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    ref: `usr_lookup${n}`,
    username: `lookup${n}`,
    email: `lookup${n}@example.com`,
    firstName: 'Look',
    middleName: '',
    lastName: `Up${n}`,
    displayName: `Look Up${n}`,
    avatarUrl: null,
    company: null,
    jobTitle: null,
    timezone: null,
    language: null,
    dateFormat: null,
    timeFormat: null,
    gender: null,
    phone: null,
    mobileNo: null,
    birthDate: null,
    signatureImage: null,
    userType: 'user',
    metadata: {},
    passwordHash: null,
    passwordExpired: false,
    isActive: true,
    isStaff: false,
    isSuperuser: false,
    isServiceAccount: false,
    serviceOrgId: null,
    oauthProvider: null,
    oauthId: null,
    isOnboarded: true,
    tfaEnabled: false,
    roleId: null,
    lastLoginAt: null,
    lastActiveAt: null,
    createdAt: now,
    updatedAt: null,
    createdBy: null,
    updatedBy: null,
  });
  const { secret, prefix } = generateApiKeySecret();
  const hash = sha256Hex(secret);
  const key = await store.apiKeys.insert({
    uuid: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    userId: user.id,
    name: 'k',
    prefix,
    secretHash: hash,
    scopes: ['read'],
    expiresAt: null,
    createdAt: now,
    createdBy: null,
  });
  return { hash, userId: user.id, keyId: key.id };
}

describe('remembered key lookups on a SQLite file', () => {
  let dir: string;
  let file: string;
  let handle: DbHandle;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-keys-'));
    file = join(dir, 'roster.db');
    handle = openDatabase(`sqlite:${file}`);
    await migrateToLatest(handle.db, { dialect: 'sqlite' });
    store = createStore(handle);
  });
  afterAll(async () => {
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers from memory while nothing changes, and frozen', async () => {
    const { hash } = await keyFor(store, 1);
    const first = await store.apiKeys.findBySecretHash(hash);
    const second = await store.apiKeys.findBySecretHash(hash);
    expect(first).toBeDefined();
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.user)).toBe(true);
    expect(Object.isFrozen(first?.key)).toBe(true);
    expect(Object.isFrozen(first?.groups)).toBe(true);
    expect(() => {
      (first?.user as { isActive: boolean }).isActive = false;
    }).toThrow(TypeError);
  });

  it('sees a revocation and a deactivation by another connection on the very next lookup', async () => {
    const { hash, userId, keyId } = await keyFor(store, 2);
    expect((await store.apiKeys.findBySecretHash(hash))?.key.revokedAt).toBeNull();
    expect((await store.apiKeys.findBySecretHash(hash))?.key.revokedAt).toBeNull();

    const other = new SqliteDatabase(file);
    other.prepare('update api_keys set revoked_at = ? where id = ?').run(new Date().toISOString(), keyId);
    expect((await store.apiKeys.findBySecretHash(hash))?.key.revokedAt).not.toBeNull();

    other.prepare('update api_keys set revoked_at = null where id = ?').run(keyId);
    expect((await store.apiKeys.findBySecretHash(hash))?.user.isActive).toBe(true);
    other.prepare('update users set is_active = 0 where id = ?').run(userId);
    expect((await store.apiKeys.findBySecretHash(hash))?.user.isActive).toBe(false);

    other.prepare('delete from api_keys where id = ?').run(keyId);
    other.close();
    expect(await store.apiKeys.findBySecretHash(hash)).toBeUndefined();
  });

  it('sees this process’s own writes on the next lookup (groups, through the store)', async () => {
    const { hash, userId } = await keyFor(store, 3);
    expect((await store.apiKeys.findBySecretHash(hash))?.groups).toEqual([]);
    const admin = (await store.groups.findByNames(['admin']))[0] ?? (await store.groups.insert('admin', new Date().toISOString()));
    await store.groups.setUserGroups(userId, [admin.id]);
    expect((await store.apiKeys.findBySecretHash(hash))?.groups).toEqual(['admin']);
  });

  it('remembers only found keys: unknown secrets never push a good key out', async () => {
    let mark = 'a';
    let computed = 0;
    const memo = whileUnchanged<string | undefined>(
      () => mark,
      1,
      (v) => v !== undefined,
    );
    const found = async () => {
      computed++;
      return 'found';
    };
    const unknown = async () => {
      computed++;
      return undefined;
    };
    await memo('good', found);
    await memo('nope', unknown);
    await memo('nope', unknown);
    await memo('good', found);
    expect(computed).toBe(3);
    mark = 'b';
    await memo('good', found);
    expect(computed).toBe(4);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('key lookups on PostgreSQL', () => {
  let db: QueryDb;
  beforeAll(async () => {
    db = await openQueryDb('postgres');
  });
  afterAll(async () => db?.close());

  it('are read every time (a change mark there costs a round trip)', async () => {
    const store = createStore(db.handle);
    const { hash } = await keyFor(store, 4);
    const first = await store.apiKeys.findBySecretHash(hash);
    expect(first).toBeDefined();
    expect(await store.apiKeys.findBySecretHash(hash)).not.toBe(first);
    expect(await store.apiKeys.findBySecretHash(hash)).toEqual(first);
  });
});

describe.each(dialects)('the key lookup on %s', (dialect) => {
  let db: QueryDb;
  beforeAll(async () => {
    db = await openQueryDb(dialect);
  });
  afterAll(async () => db?.close());

  it('gives the key, the owner and the group names in id order, as the separate reads do', async () => {
    const store = createStore(db.handle);
    const { hash, userId, keyId } = await keyFor(store, 5);
    const now = new Date().toISOString();
    const zeta = await store.groups.insert('zeta-lookup', now);
    const alpha = await store.groups.insert('alpha-lookup', now);
    await store.groups.setUserGroups(userId, [alpha.id, zeta.id]);
    await store.users.update(userId, { metadata: { team: 'blue', n: 1 }, timezone: 'Europe/Berlin' });
    const found = await store.apiKeys.findBySecretHash(hash);
    expect(found?.key).toEqual(await store.apiKeys.findByUuid(found?.key.uuid ?? ''));
    expect(found?.key.id).toBe(keyId);
    expect(found?.user).toEqual(await store.users.findById(userId));
    expect(found?.user.metadata).toEqual({ team: 'blue', n: 1 });
    expect(found?.groups).toEqual(['zeta-lookup', 'alpha-lookup']);
    expect(found?.groups).toEqual(await store.groups.namesOfUser(userId));
    expect(await store.apiKeys.findBySecretHash('0'.repeat(64))).toBeUndefined();
  });
});
