/**
 * The only place that decides who may do what. Surfaces ask; they map a refusal to their format.
 * Each rule checks the credential's scope first (a key never grants more than its scopes), then
 * the principal's standing. Rules are listed in `policyRules` so a table-driven test can cover
 * every action.
 */
import { type Actor, isSiteAdmin, type Scope } from '../auth/actor.ts';
import { AppError } from '../errors.ts';
import type { User } from '../users/users.types.ts';
import type { Visibility } from './visibility.ts';

export type Decision = { allow: true } | { allow: false; reason: string };

/** What an action is about: the target user (for user actions) and how the caller relates to it. */
export interface PolicyResource {
  target?: User;
}

type Rule = { scope: Scope; decide: (actor: Actor, resource: PolicyResource) => Decision };

const allow: Decision = { allow: true };
const deny = (reason: string): Decision => ({ allow: false, reason });

const adminOnly: Rule['decide'] = (actor) => (isSiteAdmin(actor) ? allow : deny('site admin only'));
const selfOrAdmin: Rule['decide'] = (actor, { target }) =>
  isSiteAdmin(actor) || (target !== undefined && target.id === actor.user.id) ? allow : deny('not yours');

export const policyRules = {
  /** read a user's full record */
  'users.read': { scope: 'read', decide: selfOrAdmin },
  /** list users site-wide (visibility narrows non-admins) */
  'users.list': { scope: 'read', decide: () => allow },
  'users.create': { scope: 'admin', decide: adminOnly },
  /** change one's own (or, for admins, anyone's) ordinary profile fields */
  'users.update': { scope: 'write', decide: selfOrAdmin },
  /** change privilege fields: is_active, is_staff, is_superuser, role, password_expired */
  'users.update.privileged': { scope: 'admin', decide: adminOnly },
  /** delete oneself or (admins) anyone */
  'users.delete': { scope: 'write', decide: selfOrAdmin },
  /** user administration routes of admin-only surfaces (ZenML /users, Testmo /users) */
  'users.admin': { scope: 'admin', decide: adminOnly },
  'keys.manage': { scope: 'write', decide: selfOrAdmin },
} satisfies Record<string, Rule>;

export type Action = keyof typeof policyRules;

export function can(actor: Actor, action: Action, resource: PolicyResource = {}): Decision {
  const rule: Rule = policyRules[action];
  if (!actor.user.isActive) return deny('inactive');
  if (!hasScope(actor, rule.scope)) return deny(`credential lacks scope ${rule.scope}`);
  return rule.decide(actor, resource);
}

/** Throws FORBIDDEN when the actor may not. */
export function authorize(actor: Actor, action: Action, resource: PolicyResource = {}): void {
  const decision = can(actor, action, resource);
  if (!decision.allow) throw new AppError('FORBIDDEN', decision.reason);
}

/** `admin` implies `write` implies `read`. */
export function hasScope(actor: Actor, scope: Scope): boolean {
  const s = actor.credential.scopes;
  if (s.includes('admin')) return true;
  if (scope === 'write') return s.includes('write');
  if (scope === 'read') return s.includes('read') || s.includes('write');
  return false;
}

/** The users a caller may list with no organization context: admins everyone, others themselves. */
export function userListVisibility(actor: Actor): Visibility {
  return isSiteAdmin(actor) && hasScope(actor, 'read') ? { kind: 'all' } : { kind: 'self', userId: actor.user.id };
}
