/**
 * Two Ajv instances: bodies are validated strictly (a string is not a number, unknown properties
 * are reported, not silently removed), while query strings and path parameters, which are always
 * text on the wire, are coerced to their declared types.
 */
import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const common: Options = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false };

function makeAjv(coerce: boolean) {
  const ajv = new Ajv.default({ ...common, coerceTypes: coerce ? 'array' : false });
  addFormats.default(ajv);
  // TypeBox marks its schemas with this keyword-free metadata; Ajv must not reject it.
  ajv.addKeyword({ keyword: 'modifier' });
  return ajv;
}

const strictAjv = makeAjv(false);
const coercingAjv = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema as object);
