/**
 * Org-member lists ordered by id take the memberships-index plan (src/storage/visibility-plan.ts);
 * this checks it returns exactly what the predicate plan returns, page by page, both directions,
 * with filters, totals and an extra visibility part.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Visibility } from '../../src/core/policy/visibility.ts';
import type { FilterNode, ListRequest } from '../../src/core/query/model.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { orgWith } from './helpers.ts';

describe.each(dialects)('organization member lists by id on %s', (dialect) => {
  let t: TestApp;
  let orgId: number;
  let members: number[];
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    // interleave members and non-members, and a second organization sharing some users
    const a = await orgWith(t);
    const b = await orgWith(t);
    orgId = a.org.id;
    members = [a.owner.user.id];
    for (let i = 0; i < 23; i++) {
      const { user } = await t.newUser({ lastName: i % 3 === 0 ? 'Needle' : 'Hay' });
      if (i % 2 === 0) {
        await t.core.memberships.addTrusted({ orgId, userId: user.id, role: 'worker' });
        members.push(user.id);
      }
      if (i % 3 === 0) await t.core.memberships.addTrusted({ orgId: b.org.id, userId: user.id, role: 'worker' });
    }
  });
  afterAll(async () => t?.close());

  async function walk(visibility: Visibility, direction: 'asc' | 'desc', filter?: FilterNode): Promise<{ ids: number[]; total?: number }> {
    const ids: number[] = [];
    let after: string | null = null;
    let total: number | undefined;
    do {
      const request: ListRequest = {
        ...(filter ? { filter } : {}),
        sort: [{ field: 'id', direction }],
        page: { kind: 'cursor', after, limit: 4 },
        withTotal: true,
      };
      const page = await t.core.users.listWithVisibility(request, visibility);
      ids.push(...page.items.map((u) => u.id));
      total = page.total;
      after = page.nextCursor;
    } while (after);
    return { ids, ...(total !== undefined ? { total } : {}) };
  }

  it('pages through every member once, ascending and descending, with the total', async () => {
    const sorted = [...members].sort((x, y) => x - y);
    expect(await walk({ kind: 'orgMembers', orgId }, 'asc')).toEqual({ ids: sorted, total: sorted.length });
    expect((await walk({ kind: 'orgMembers', orgId }, 'desc')).ids).toEqual([...sorted].reverse());
  });

  it('applies filters and the other visibility parts on top', async () => {
    const needles = (await Promise.all(members.map((id) => t.core.users.findById(id))))
      .filter((u) => u?.lastName === 'Needle')
      .map((u) => u!.id)
      .sort((x, y) => x - y);
    const filter: FilterNode = { kind: 'cmp', field: 'lastName', op: '==', value: 'Needle' };
    expect(await walk({ kind: 'orgMembers', orgId }, 'asc', filter)).toEqual({ ids: needles, total: needles.length });
    const self = members[3]!;
    expect(
      (
        await walk(
          {
            kind: 'and',
            parts: [
              { kind: 'self', userId: self },
              { kind: 'orgMembers', orgId },
            ],
          },
          'asc',
        )
      ).ids,
    ).toEqual([self]);
    // the same rows as the predicate plan (any sort other than id alone takes it)
    const byName = await t.core.users.listWithVisibility(
      { sort: [{ field: 'lastName', direction: 'asc' }], page: { kind: 'all' }, withTotal: false },
      { kind: 'orgMembers', orgId },
    );
    expect(byName.items.map((u) => u.id).sort((x, y) => x - y)).toEqual([...members].sort((x, y) => x - y));
  });
});
