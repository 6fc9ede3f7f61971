/**
 * A request's fingerprint, independent of how the client spelled its JSON: object keys sorted at
 * every depth, so `{"a":1,"b":2}` and `{ "b": 2, "a": 1 }` are the same request.
 */
import { sha256Hex } from '../ids.ts';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function fingerprintHash(fingerprint: unknown): string {
  return sha256Hex(canonicalJson(fingerprint));
}
