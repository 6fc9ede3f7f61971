/**
 * Mass assignment (checklist B1–B4, H6): non-admins send privileged fields, in each dialect's
 * spelling and in evasion variants (case, trailing space, nesting, duplicate keys, `__proto__`,
 * `constructor.prototype`), through every endpoint that writes a user, a registration or a
 * membership. Whatever the answer, nothing may persist: the user is read back through core.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { recordFigure } from '../helpers/figures.ts';
import type { Principal } from '../tenancy/helpers.ts';
import { principal } from '../tenancy/helpers.ts';
import { type AuthzWorld, authzWorld, unique } from './authz-world.ts';
import { unthrottled } from './world.ts';

const FORGED_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA';
const STRONG = 'correct horse battery staple 42';

type Variant = (field: string, value: unknown, base: Record<string, unknown>) => string;

/** The six evasion variants of B3, plus the plain field. */
const variants: Record<string, Variant> = {
  plain: (f, v, b) => JSON.stringify({ ...b, [f]: v }),
  upper: (f, v, b) => JSON.stringify({ ...b, [f.toUpperCase()]: v }),
  trailingSpace: (f, v, b) => JSON.stringify({ ...b, [`${f} `]: v }),
  nested: (f, v, b) => JSON.stringify({ ...b, user: { [f]: v } }),
  duplicateKey: (f, v, b) => `${JSON.stringify(b).slice(0, -1)}${Object.keys(b).length ? ',' : ''}"${f}":null,"${f}":${JSON.stringify(v)}}`,
  proto: (f, v, b) => `${JSON.stringify(b).slice(0, -1)}${Object.keys(b).length ? ',' : ''}"__proto__":{"${f}":${JSON.stringify(v)}}}`,
  constructorPrototype: (f, v, b) => JSON.stringify({ ...b, constructor: { prototype: { [f]: v } } }),
};

interface Endpoint {
  name: string;
  /** privileged fields in this dialect's spelling → the escalating value */
  fields: (w: AuthzWorld) => Record<string, unknown>;
  /** the request; `self` is the caller (undefined for registrations) */
  request: (
    self: Principal | undefined,
    w: AuthzWorld,
  ) => { method: 'PATCH' | 'POST' | 'PUT'; url: string; headers: Record<string, string>; base: Record<string, unknown> };
  /** registrations: whom to read back (the account the body asked for) */
  registers?: boolean;
}

const common = (w: AuthzWorld) => ({
  is_superuser: true,
  is_staff: true,
  is_active: false,
  is_service_account: true,
  organization_id: w.orgB.id,
  service_org_id: w.orgB.id,
  role_id: 4,
  password_expired: true,
  password_hash: FORGED_HASH,
  groups: ['admin'],
  role: 'owner',
  id: 1,
  created_at: '2000-01-01T00:00:00Z',
  email_verified: true,
});

const endpoints: Endpoint[] = [
  {
    name: 'native PATCH /v1/users/{self}',
    fields: common,
    request: (s) => ({
      method: 'PATCH',
      url: `/v1/users/${s?.user.id}`,
      headers: { authorization: `Bearer ${s?.key}` },
      base: { company: 'Acme' },
    }),
  },
  {
    name: 'native PUT /v1/users/{self}/groups',
    fields: () => ({ groups: ['admin'] }),
    request: (s) => ({ method: 'PUT', url: `/v1/users/${s?.user.id}/groups`, headers: { authorization: `Bearer ${s?.key}` }, base: {} }),
  },
  {
    name: 'native PATCH /v1/orgs/{A}/members/{self}',
    fields: () => ({ role: 'owner', is_active: true }),
    request: (s, w) => ({
      method: 'PATCH',
      url: `/v1/orgs/${w.orgA.slug}/members/${s?.user.id}`,
      headers: { authorization: `Bearer ${s?.key}` },
      base: {},
    }),
  },
  {
    name: 'native POST /v1/auth/register',
    registers: true,
    fields: common,
    request: () => ({
      method: 'POST',
      url: '/v1/auth/register',
      headers: {},
      base: { email: `${unique('reg')}@example.com`, password: STRONG },
    }),
  },
  {
    name: 'ZenML PATCH /users/me',
    fields: (w) => ({ ...common(w), organization_id: w.orgB.uuid }),
    request: (s) => ({ method: 'PATCH', url: '/users/me', headers: { authorization: `Bearer ${s?.key}` }, base: { company: 'Acme' } }),
  },
  {
    name: 'Overplane PATCH /api/core/user/{self}',
    fields: (w) => ({ ...common(w), enabled: 0, user_type: 'System User', roles: ['System Manager'] }),
    request: (s) => ({
      method: 'PATCH',
      url: `/api/core/user/${s?.user.ref}`,
      headers: { authorization: `Bearer ${s?.key}` },
      base: { first_name: 'A' },
    }),
  },
  {
    name: 'CVAT PATCH /api/users/{self}',
    fields: (w) => ({ ...common(w), username: `hijack${unique('u')}` }),
    request: (s) => ({
      method: 'PATCH',
      url: `/api/users/${s?.user.id}`,
      headers: { authorization: `Token ${s?.key}` },
      base: { first_name: 'A' },
    }),
  },
  {
    name: 'CVAT POST /api/auth/register',
    registers: true,
    fields: common,
    request: () => {
      const name = unique('cr');
      return {
        method: 'POST',
        url: '/api/auth/register',
        headers: {},
        base: { username: name, email: `${name}@example.com`, password1: STRONG, password2: STRONG },
      };
    },
  },
];

/** Everything a privileged field could change, read through core and the store. */
async function standing(t: TestApp, userId: number) {
  const u = await t.core.users.findById(userId);
  if (!u) return 'deleted';
  const memberships = (await t.core.memberships.listByUser(userId)).map((m) => `${m.orgId}:${m.role}:${m.isActive}`).sort();
  return JSON.stringify({
    id: u.id,
    username: u.username,
    isSuperuser: u.isSuperuser,
    isStaff: u.isStaff,
    isActive: u.isActive,
    isServiceAccount: u.isServiceAccount,
    serviceOrgId: u.serviceOrgId,
    roleId: u.roleId,
    passwordExpired: u.passwordExpired,
    createdAt: u.createdAt,
    groups: (await t.core.groups.namesOfUser(userId)).sort(),
    memberships,
    hash: await t.core.store.users.passwordHash(userId),
  });
}

describe.each(dialects)('privileged fields on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect, unthrottled);
  });
  afterAll(async () => t?.close());

  it('persist nothing, whatever the spelling, for every non-admin through every writable endpoint', { timeout: 600_000 }, async () => {
    let attempts = 0;
    const persisted: string[] = [];
    const statuses = new Map<number, number>();
    for (const kind of ['user', 'member', 'maintainer', 'owner', 'serviceAccount'] as const) {
      const w = await authzWorld(t, kind);
      for (const ep of endpoints) {
        if (ep.registers && kind !== 'user') continue; // registrations are anonymous: once is enough
        for (const [field, value] of Object.entries(ep.fields(w))) {
          for (const [variantName, variant] of Object.entries(variants)) {
            // A fresh caller per attempt for self edits, so one persisted change cannot hide the next.
            const self = ep.registers ? undefined : await freshCaller(t, w, kind);
            const req = ep.request(self, w);
            const before = self ? await standing(t, self.user.id) : undefined;
            const r = await t.inject({
              method: req.method,
              url: req.url,
              headers: { ...req.headers, 'content-type': 'application/json' },
              payload: variant(field, value, req.base),
            });
            attempts++;
            statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
            const where = `${ep.name} as ${kind}: ${variantName} ${field} → ${r.statusCode}`;
            if (self) {
              const after = await standing(t, self.user.id);
              if (after !== before) persisted.push(`${where}: ${before} → ${after}`);
            } else {
              const email = String(req.base.email);
              const created = await t.core.users.findByEmail(email);
              if (created) {
                const s = JSON.parse(await standing(t, created.id));
                const escalated =
                  s.isSuperuser ||
                  s.isStaff ||
                  !s.isActive ||
                  s.isServiceAccount ||
                  s.serviceOrgId !== null ||
                  s.passwordExpired ||
                  s.groups.includes('admin') ||
                  s.memberships.length > 0 ||
                  s.id === 1;
                if (escalated) persisted.push(`${where}: ${JSON.stringify(s)}`);
              }
            }
          }
        }
      }
    }
    if (process.env.ROSTER_PRIVILEGED_DEBUG) console.log([...statuses]);
    recordFigure(`privileged_fields.${dialect}.attempts`, attempts);
    recordFigure(`privileged_fields.${dialect}.persisted`, persisted.length);
    expect(persisted).toEqual([]);
    expect(attempts).toBeGreaterThan(1000);
    // No attempt broke the server, nor polluted its prototypes (B3).
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(({} as Record<string, unknown>).is_superuser).toBeUndefined();
  });
});

/** A caller of the given kind placed like the world's actor (member of A unless a plain user). */
async function freshCaller(
  t: TestApp,
  w: AuthzWorld,
  kind: 'user' | 'member' | 'maintainer' | 'owner' | 'serviceAccount',
): Promise<Principal> {
  if (kind === 'user') return principal(t);
  if (kind === 'serviceAccount') {
    const p = await principal(t, {}, { isServiceAccount: true, serviceOrgId: w.orgA.id });
    await t.core.memberships.addTrusted({ orgId: w.orgA.id, userId: p.user.id, role: 'worker' });
    return p;
  }
  const p = await principal(t);
  await t.core.memberships.addTrusted({ orgId: w.orgA.id, userId: p.user.id, role: kind === 'member' ? 'worker' : kind });
  return p;
}
