/** `POST /auth/login` (form-encoded): password login or API-key exchange, no credential header needed. */
import type { FastifyPluginAsync } from 'fastify';
import type { SurfaceOptions } from '../../types.ts';
import { FormBody } from '../bodies.ts';
import { login } from '../login.ts';
import { throwIfInvalid, validateParams } from '../pydantic.ts';
import { LoginForm, TokenResponse } from '../schemas.ts';
import { documentationOnly, errorResponses } from './shared.ts';

export const zenmlAuthRoutes: FastifyPluginAsync<SurfaceOptions> = async (app, { core }) => {
  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['zenml'],
        summary: 'Login',
        consumes: ['application/x-www-form-urlencoded'],
        body: LoginForm,
        response: { 200: TokenResponse, 401: errorResponses[401], 422: errorResponses[422] },
      },
      validatorCompiler: documentationOnly,
    },
    async (req, reply) => {
      // Starlette reads form fields only from a form body; anything else has none.
      const fields =
        req.body instanceof FormBody ? Object.fromEntries([...req.body.fields.keys()].map((k) => [k, (req.body as FormBody).get(k)])) : {};
      const form = validateParams(LoginForm, fields, 'body');
      throwIfInvalid(form);
      const token = await login(core, { ...(form.value as { username?: string; password: string }), ip: req.ip });
      return reply.send(token);
    },
  );
};
