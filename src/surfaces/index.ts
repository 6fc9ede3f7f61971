/**
 * Every surface, in the order their 404 claims are asked. Routes of different surfaces never
 * collide (DESIGN: Plane's `/api/v1/users/me/` vs Testmo's `/api/v1/users/{id}` differ by the
 * literal `me/`); Plane claims `/api/v1/…` 404s that end with `/` or carry X-Api-Key, before Testmo.
 */
import { cvatSurface } from './cvat/index.ts';
import { nativeSurface } from './native/index.ts';
import { overplaneSurface } from './overplane/index.ts';
import { planeSurface } from './plane/index.ts';
import { testmoSurface } from './testmo/index.ts';
import type { Surface } from './types.ts';
import { zenmlSurface } from './zenml/index.ts';

export const surfaces: Surface[] = [nativeSurface, planeSurface, overplaneSurface, zenmlSurface, testmoSurface, cvatSurface];
