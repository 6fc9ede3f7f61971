/**
 * Who is calling Plane: `X-Api-Key` (API keys, Plane's own header) or `Authorization: Bearer`
 * (what Plane's Node SDK sends for OAuth apps; Roster's OAuth access tokens or API keys). With
 * both, `X-Api-Key` wins; empty values count as absent (DESIGN §6).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/index.ts';
import { requireActor } from '../../http/auth.ts';
import { type HeaderStyle, presentedCredential } from '../../http/credentials.ts';
import { refuseCredential } from './errors.ts';

export const planeCredentialStyles: readonly HeaderStyle[] = ['x-api-key', 'bearer'];
const styles = planeCredentialStyles;

export function planeAuthentication(core: Core) {
  const authenticate = requireActor(core, { styles, refuse: (reply, failure) => refuseCredential(reply, failure) });
  return async function planeAuth(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await authenticate(request, reply);
    if (reply.sent || !request.actor) return;
    // X-Api-Key is Plane's API-token header: other credentials (OAuth tokens, sessions) come as Bearer.
    const presented = presentedCredential(request, styles);
    if (request.actor.credential.kind !== 'api_key' && presented.kind === 'secret' && presented.style === 'x-api-key') {
      request.actor = undefined;
      await refuseCredential(reply, 'invalid');
    }
  };
}
