/** Runs one authorization cell (route × credential kind × ownership) and reports what came back. */
import type { TestApp } from '../helpers/app.ts';
import type { RouteSpec } from './authz-routes.ts';
import { type AuthzWorld, cellParams, fillBody, type Ownership } from './authz-world.ts';
import { headerStylesFor } from './generator.ts';

export interface CellOutcome {
  status: number;
  /** the body with request ids and the cell's own path values blanked, for comparing cells */
  body: string;
}

function credentialHeader(path: string, secret: string | undefined): Record<string, string> {
  if (secret === undefined) return {};
  const style = headerStylesFor(path)[0];
  if (style === 'x-api-key') return { 'x-api-key': secret };
  if (style === 'token') return { authorization: `Token ${secret}` };
  return { authorization: `Bearer ${secret}` };
}

export async function runCell(t: TestApp, w: AuthzWorld, route: string, spec: RouteSpec, own: Ownership | undefined): Promise<CellOutcome> {
  const [method, path] = route.split(' ') as [string, string];
  const params = await cellParams(t, w, spec.target, own);
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`${route}: no value for {${name}}`);
    return encodeURIComponent(v);
  });
  const query = spec.query ? `?${String(await fillBody(t, w, spec.query))}` : '';
  const headers: Record<string, string> = credentialHeader(path, w.secret);
  let payload: string | undefined;
  if (spec.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(spec.form).toString();
  } else if (spec.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(await fillBody(t, w, spec.body));
  }
  const r = await t.inject({ method: method as never, url: url + query, headers, ...(payload !== undefined ? { payload } : {}) });
  let body = r.body.replace(/"request_id":"[^"]*"/g, '"request_id":"-"');
  for (const v of Object.values(params)) if (v.length > 3) body = body.split(v).join('<param>');
  return { status: r.statusCode, body };
}
