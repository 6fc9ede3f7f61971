/**
 * A real database holding a fixed set of users rows (inserted raw, so every canonical field can
 * take awkward values), plus an in-memory evaluator of the core query model that the engine's
 * answers are checked against.
 */
import type { FilterNode, ListRequest, Scalar, SortKey } from '../../src/core/query/model.ts';
import { nullableUserFields } from '../../src/core/query/user-fields.ts';
import type { User } from '../../src/core/users/users.types.ts';
import { type DbHandle, openDatabase } from '../../src/storage/db.ts';
import { userColumns } from '../../src/storage/mappers.ts';
import { migrateToLatest } from '../../src/storage/migrator.ts';
import { usersRepository } from '../../src/storage/repositories/users.repository.ts';
import type { NewUserRow } from '../../src/storage/schema.ts';
import { createTestDatabase, type TestDialect } from '../helpers/dialects.ts';

/** The canonical fields the tests filter and sort on, with the values rows carry. */
export interface Row {
  id: number;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  displayName: string;
  userType: string;
  isActive: boolean;
  isStaff: boolean;
  roleId: number | null;
  serviceOrgId: number | null;
  mobileNo: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

export type RowField = Exclude<keyof Row, never>;

export interface QueryDb {
  handle: DbHandle;
  repo: ReturnType<typeof usersRepository>;
  list(request: ListRequest): Promise<{ ids: number[]; result: Awaited<ReturnType<ReturnType<typeof usersRepository>['list']>> }>;
  close(): Promise<void>;
}

export async function openQueryDb(dialect: TestDialect): Promise<QueryDb> {
  const database = await createTestDatabase(dialect);
  const handle = openDatabase(database.url, database.pgSchema ? { pgSchema: database.pgSchema } : {});
  await migrateToLatest(handle.db, { dialect: handle.dialect });
  const repo = usersRepository(handle.db, handle.dialect);
  return {
    handle,
    repo,
    async list(request) {
      const result = await repo.list(request, { kind: 'all' });
      return { ids: result.items.map((u: User) => u.id), result };
    },
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}

let inserted = 0;

/** Inserts the rows (without ids) and returns them with the ids the database gave them. */
export async function insertRows(handle: DbHandle, rows: Omit<Row, 'id'>[]): Promise<Row[]> {
  const out: Row[] = [];
  for (const r of rows) {
    const n = ++inserted;
    const record: Record<string, unknown> = {
      uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      ref: `user_test${String(n).padStart(10, '0')}`,
      metadata: '{}',
      password_expired: 0,
      is_service_account: 0,
      is_onboarded: 0,
      tfa_enabled: 0,
      is_superuser: 0,
      middle_name: '',
    };
    for (const [field, value] of Object.entries(r)) {
      record[(userColumns as Record<string, string>)[field] as string] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    }
    const row = await handle.db
      .insertInto('users')
      .values(record as unknown as NewUserRow)
      .returning('id')
      .executeTakeFirstOrThrow();
    out.push({ id: row.id, ...r });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The in-memory evaluator: the model's semantics (src/core/query/model.ts) written plainly.

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

type Value = string | number | boolean | null;

function get(row: Row, field: string): Value {
  return (row as unknown as Record<string, Value>)[field] ?? null;
}

const num = (v: Value): string | number => (typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | number));

/** -1, 0, 1 with NULL smallest; text by UTF-16 unit (= code point for the BMP data used here). */
export function compareValues(a: Value, b: Value): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const x = num(a);
  const y = num(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function evaluate(node: FilterNode, row: Row): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => evaluate(c, row));
    case 'or':
      return node.children.some((c) => evaluate(c, row));
    case 'not':
      return !evaluate(node.child, row);
    case 'isNull':
      return get(row, node.field) === null;
    case 'cmp': {
      const v = get(row, node.field);
      if (node.value === null) return node.op === '==' ? v === null : node.op === '!=' ? v !== null : false;
      if (v === null) return false;
      const fold = node.caseInsensitive && typeof v === 'string';
      const c = fold ? compareValues(asciiLower(v as string), asciiLower(node.value as string)) : compareValues(v, node.value);
      return { '==': c === 0, '!=': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[node.op];
    }
    case 'in': {
      const v = get(row, node.field);
      if (v === null) return node.values.includes(null);
      return node.values.some((x: Scalar) => x !== null && compareValues(v, x) === 0);
    }
    case 'between': {
      const v = get(row, node.field);
      return v !== null && compareValues(v, node.low) >= 0 && compareValues(v, node.high) <= 0;
    }
    case 'contains':
    case 'startsWith':
    case 'endsWith': {
      const v = get(row, node.field);
      if (v === null) return false;
      const hay = node.caseInsensitive ? asciiLower(String(v)) : String(v);
      const needle = node.caseInsensitive ? asciiLower(node.value) : node.value;
      return node.kind === 'contains' ? hay.includes(needle) : node.kind === 'startsWith' ? hay.startsWith(needle) : hay.endsWith(needle);
    }
    case 'search':
      return node.terms.every((t) =>
        node.fields.some((f) => {
          const v = get(row, f);
          return v !== null && asciiLower(String(v)).includes(asciiLower(t));
        }),
      );
  }
}

/** The ids a ListRequest over `rows` should return (filter, sort + id tie-breaker), ignoring pages. */
export function expectedIds(rows: Row[], filter: FilterNode | undefined, sort: SortKey[]): number[] {
  const keys = sort.filter((k) => k.field !== 'id');
  const idKey = sort.find((k) => k.field === 'id') ?? { field: 'id', direction: keys[keys.length - 1]?.direction ?? 'asc' };
  const all = [...keys, idKey];
  return rows
    .filter((r) => !filter || evaluate(filter, r))
    .sort((a, b) => {
      for (const k of all) {
        const c = compareValues(get(a, k.field), get(b, k.field));
        if (c !== 0) return k.direction === 'asc' ? c : -c;
      }
      return 0;
    })
    .map((r) => r.id);
}

export const isNullable = (field: string) => nullableUserFields.has(field);
