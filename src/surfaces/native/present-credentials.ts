/** Core → native wire for API keys and sessions. Secrets leave only through `presentCreatedKey`. */
import type { Actor, Scope } from '../../core/auth/actor.ts';
import type { CreatedApiKey } from '../../core/auth/api-keys.service.ts';
import type { ApiKey, Session } from '../../core/ports.ts';

export function presentKey(k: ApiKey, nowMs = Date.now()) {
  return {
    id: k.uuid,
    name: k.name,
    prefix: k.prefix,
    // storage holds only scopes core normalised on the way in
    scopes: k.scopes as Scope[],
    expires_at: k.expiresAt,
    last_used_at: k.lastUsedAt,
    created_at: k.createdAt,
    created_by: k.createdBy,
    revoked_at: k.revokedAt,
    active: !k.revokedAt && (!k.expiresAt || Date.parse(k.expiresAt) > nowMs),
  };
}

/** The one response that carries a key's secret: its creation or rotation. */
export function presentCreatedKey(created: CreatedApiKey, rotatedFrom?: string) {
  return { ...presentKey(created.key), secret: created.secret, ...(rotatedFrom ? { rotated_from: rotatedFrom } : {}) };
}

export function presentSession(s: Session, actor: Actor) {
  return {
    id: s.uuid,
    created_at: s.createdAt,
    last_seen_at: s.lastSeenAt,
    idle_expires_at: s.idleExpiresAt,
    expires_at: s.expiresAt,
    ip: s.ip,
    user_agent: s.userAgent,
    current: actor.credential.kind === 'session' && actor.credential.id === s.uuid,
  };
}
