/** Shared fixtures for tenancy tests: actors from real keys, organizations with members. */
import type { Actor } from '../../src/core/auth/actor.ts';
import type { Store } from '../../src/core/ports.ts';
import type { Organization, OrgRole } from '../../src/core/tenancy/types.ts';
import type { User } from '../../src/core/users/users.types.ts';
import { createStore } from '../../src/storage/store.ts';
import type { TestApp } from '../helpers/app.ts';

export interface Principal {
  user: User;
  key: string;
  actor: Actor;
}

/** The actor exactly as a request would see it (through core.authenticate). */
export async function actorFor(t: TestApp, key: string): Promise<Actor> {
  const outcome = await t.core.authenticate(key);
  if (!outcome.ok) throw new Error(`key does not authenticate: ${outcome.reason}`);
  return outcome.actor;
}

export async function principal(
  t: TestApp,
  input: Parameters<TestApp['newUser']>[0] = {},
  opts: Parameters<TestApp['newUser']>[1] = {},
): Promise<Principal> {
  const { user, key } = await t.newUser(input, opts);
  return { user, key, actor: await actorFor(t, key) };
}

let orgCounter = 0;
export function uniqueSlug(prefix = 'org'): string {
  orgCounter += 1;
  return `${prefix}-${process.pid}-${orgCounter}-${Math.floor(Math.random() * 1e6)}`;
}

/** An organization created by a fresh owner, plus members with the given roles. */
export async function orgWith(t: TestApp, roles: OrgRole[] = []): Promise<{ org: Organization; owner: Principal; members: Principal[] }> {
  const owner = await principal(t);
  const org = await t.core.orgs.create(owner.actor, { slug: uniqueSlug(), name: 'Org' });
  const members: Principal[] = [];
  for (const role of roles) {
    const p = await principal(t);
    await t.core.memberships.addTrusted({ orgId: org.id, userId: p.user.id, role });
    members.push(p);
  }
  return { org, owner, members };
}

/** A Store over the test database that counts the SQL statements it sends. */
export function countingStore(t: TestApp): { store: Store; queries: () => number } {
  let n = 0;
  // Counted per execution, not per compilation: precompiled lookups compile once (src/storage/precompiled.ts).
  const db = t.runtime.handle.db.withPlugin({
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      n += 1;
      return args.result;
    },
  });
  return { store: createStore({ ...t.runtime.handle, db }), queries: () => n };
}
