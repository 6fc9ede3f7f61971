/**
 * Response serialisation over type lists (src/http/serializer.ts) writes the same bytes as over
 * TypeBox's nullable `anyOf`, and leaves every other schema as it is.
 */
import { Type } from '@sinclair/typebox';
import fastJsonStringify from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { Nullable, Timestamp } from '../../src/http/schemas.ts';
import { nullableAsTypeList } from '../../src/http/serializer.ts';
import { UserResponse } from '../../src/surfaces/native/schemas/users.ts';

describe('nullableAsTypeList', () => {
  it('turns a nullable scalar into a type list with its keywords', () => {
    const plain = (s: unknown) => JSON.parse(JSON.stringify(s));
    expect(plain(nullableAsTypeList(Nullable(Timestamp)))).toEqual({ ...plain(Timestamp), type: ['string', 'null'] });
    expect(plain(nullableAsTypeList(Nullable(Type.Integer())))).toEqual({ type: ['integer', 'null'] });
  });

  it('leaves objects, arrays, references and other unions alone', () => {
    const keep = [
      Nullable(Type.Object({ a: Type.String() })),
      Nullable(Type.Array(Type.String())),
      Type.Union([Type.String(), Type.Integer()]),
      Type.Union([Type.String(), Type.Null(), Type.Integer()]),
      { anyOf: [{ $ref: 'X#' }, { type: 'null' }] },
    ];
    for (const s of keep) expect(nullableAsTypeList(JSON.parse(JSON.stringify(s)))).toEqual(JSON.parse(JSON.stringify(s)));
  });

  it('serialises a native user to the same bytes, nulls and values alike', () => {
    const schema = JSON.parse(JSON.stringify(UserResponse));
    const before = fastJsonStringify(schema);
    const after = fastJsonStringify(nullableAsTypeList(schema) as never);
    const props = schema.properties as Record<string, { type?: string; anyOf?: { type: string; format?: string }[]; format?: string }>;
    for (const fill of ['nulls', 'values'] as const) {
      const user: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(props)) {
        const t = p.type ?? p.anyOf?.[0]?.type;
        const format = p.format ?? p.anyOf?.[0]?.format;
        if (p.anyOf && fill === 'nulls') user[k] = null;
        else if (t === 'integer') user[k] = 7;
        else if (t === 'boolean') user[k] = true;
        else if (t === 'object') user[k] = { nested: 'yes "quoted"' };
        else if (t === 'array') user[k] = [];
        else user[k] = format === 'date-time' ? '2026-12-02T06:00:00.000Z' : 'text with "quotes" and \\ and é';
      }
      expect(after(user)).toBe(before(user));
    }
  });
});
