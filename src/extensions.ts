/**
 * Modules that extend core after it is assembled (sessions, organizations, OAuth) hook in here,
 * so runtime.ts stays one short list.
 */
import type { Core } from './core/index.ts';
import type { DbHandle } from './storage/db.ts';

export function installExtensions(_core: Core, _handle: DbHandle): void {}
