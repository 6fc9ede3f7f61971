/** Shared TypeBox primitives for wire schemas. */
import { type TSchema, Type } from '@sinclair/typebox';

export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601 UTC' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const IntegerId = Type.Integer({ minimum: 1, maximum: 2147483647 });
