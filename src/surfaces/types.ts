/**
 * What every surface plugin receives and exports. A surface owns its routes, wire schemas,
 * presenters and error format; it gets core (never storage) and the frozen config.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Core } from '../core/index.ts';

export interface SurfaceOptions {
  core: Core;
  config: Config;
  /** base for absolute URLs in responses, no trailing slash */
  publicUrl: string;
}

export interface Surface {
  name: string;
  plugin: FastifyPluginAsync<SurfaceOptions>;
  /** true when an unrouted request belongs to this surface, so its 404 format answers */
  claimsNotFound?: (request: FastifyRequest) => boolean;
  notFound?: (request: FastifyRequest, reply: FastifyReply) => unknown;
}
