/**
 * `POST /api/auth/login`, `/api/auth/logout`, `/api/auth/register` (dj-rest-auth as CVAT
 * configures it). Registration follows REGISTRATION: `open` registers; `closed` and `invite`
 * (CVAT's form has no invitation token) answer 403 with DRF's permission body.
 */
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../../core/errors.ts';
import { resolveActor } from '../../../http/auth.ts';
import { presentedCredential } from '../../../http/credentials.ts';
import { clearCsrfCookie, clearSessionCookie, sessionCookieOf, setCsrfCookie, setSessionCookie } from '../../../http/session-cookie.ts';
import type { SurfaceOptions } from '../../types.ts';
import { loginKey, registerUser } from '../accounts.ts';
import { CvatDetailError, CvatValidationError, csrfRefusal, cvatMessages } from '../errors.ts';

type Body = Record<string, unknown>;

function bodyOf(raw: unknown): Body {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CvatValidationError({
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${Array.isArray(raw) ? 'list' : typeof raw}.`],
    });
  }
  return raw as Body;
}

/** DRF CharField: required, not null, a string, not blank (trimmed unless a password). */
function charField(
  errors: Record<string, string[]>,
  body: Body,
  key: string,
  opts: { required: boolean; trim?: boolean; min?: number; max?: number },
): string | undefined {
  const v = body[key];
  const problem = (message: string): undefined => {
    errors[key] = [message];
    return undefined;
  };
  if (v === undefined) return opts.required ? problem(cvatMessages.required) : undefined;
  if (v === null) return problem('This field may not be null.');
  if (typeof v !== 'string' && typeof v !== 'number') return problem('Not a valid string.');
  const s = opts.trim === false ? String(v) : String(v).trim();
  if (s === '') return opts.required ? problem('This field may not be blank.') : '';
  if (opts.min !== undefined && s.length < opts.min) return problem(`Ensure this field has at least ${opts.min} characters.`);
  if (opts.max !== undefined && s.length > opts.max) return problem(`Ensure this field has no more than ${opts.max} characters.`);
  return s;
}

export const cvatAuthRoutes: FastifyPluginAsync<SurfaceOptions> = async (app, { core }) => {
  const tags = ['cvat'];

  app.post('/api/auth/login', { schema: { tags, summary: 'Log in (token)' }, logLevel: 'warn' }, async (req, reply) => {
    const body = bodyOf(req.body);
    const errors: Record<string, string[]> = {};
    const username = charField(errors, body, 'username', { required: false });
    const email = charField(errors, body, 'email', { required: false });
    const password = charField(errors, body, 'password', { required: true, trim: false });
    if (Object.keys(errors).length > 0) throw new CvatValidationError(errors);
    const login = username || email;
    if (!login) throw new CvatValidationError({ non_field_errors: ['Must include "username" and "password".'] });
    try {
      const { key, session } = await loginKey(core, login, password as string, { ip: req.ip, userAgent: req.headers['user-agent'] });
      // dj-rest-auth with session login: the browser also gets the session and its CSRF cookie.
      setSessionCookie(reply, session.token, session.expiresAt);
      setCsrfCookie(reply, session.token, session.expiresAt);
      return reply.send({ key });
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'CREDENTIALS_INVALID' && err.code !== 'PASSWORD_EXPIRED')) throw err;
      throw new CvatValidationError({ non_field_errors: [err.code === 'PASSWORD_EXPIRED' ? 'Password expired' : cvatMessages.badLogin] });
    }
  });

  app.post(
    '/api/auth/logout',
    { schema: { tags, summary: 'Log out (revokes the presented key, or ends the browser session)' } },
    async (req, reply) => {
      const usedCookie = presentedCredential(req, ['token', 'bearer']).kind === 'none';
      const refusal = csrfRefusal(req, usedCookie && sessionCookieOf(req) !== undefined);
      if (refusal) throw new CvatDetailError(403, refusal);
      const outcome = await resolveActor(core, req, { styles: ['token', 'bearer'], cookie: true });
      if (typeof outcome !== 'string' && outcome.ok) {
        const { actor } = outcome;
        if (actor.credential.kind === 'api_key') await core.apiKeys.revoke(actor, actor.user, actor.credential.id);
        else if (actor.credential.kind === 'session') await core.sessions.end(actor);
      }
      if (usedCookie) {
        clearSessionCookie(reply);
        clearCsrfCookie(reply);
      }
      return { detail: 'Successfully logged out.' };
    },
  );

  app.post('/api/auth/register', { schema: { tags, summary: 'Register' }, logLevel: 'warn' }, async (req, reply) => {
    // Refused before the body is looked at: CVAT's form has no invitation token, so `invite` is closed too.
    if (core.credentials.registrationMode() !== 'open') throw new CvatDetailError(403, cvatMessages.forbidden);
    const body = bodyOf(req.body);
    const errors: Record<string, string[]> = {};
    const username = charField(errors, body, 'username', { required: true, min: 5, max: 150 });
    const email = charField(errors, body, 'email', { required: true, max: 254 });
    const password1 = charField(errors, body, 'password1', { required: true, trim: false });
    const password2 = charField(errors, body, 'password2', { required: true, trim: false });
    const firstName = charField(errors, body, 'first_name', { required: false, max: 150 }) ?? '';
    const lastName = charField(errors, body, 'last_name', { required: false, max: 150 }) ?? '';
    if (Object.keys(errors).length > 0) throw new CvatValidationError(errors);
    if (password1 !== password2) throw new CvatValidationError({ non_field_errors: ["The two password fields didn't match."] });
    let created: Awaited<ReturnType<typeof registerUser>>;
    try {
      created = await registerUser(core, {
        username: username as string,
        email: email as string,
        password: password1 as string,
        firstName,
        lastName,
      });
    } catch (err) {
      // core names the password `password`; CVAT's form calls it `password1`
      if (err instanceof AppError && err.code === 'VALIDATION_FAILED' && err.issues.some((i) => i.field === 'password')) {
        throw new CvatValidationError({ password1: err.issues.filter((i) => i.field === 'password').map((i) => i.message) });
      }
      throw err;
    }
    const { user, key } = created;
    return reply.code(201).send({
      username: user.username,
      email: user.email,
      first_name: user.firstName,
      last_name: user.lastName,
      email_verification_required: false,
      key,
    });
  });
};
