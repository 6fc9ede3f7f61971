/**
 * A Roster listening on an ephemeral port (in-process, real HTTP) whose PUBLIC_URL is that
 * address, so the issuer the relying party discovers is the one it talks to; and a tiny browser
 * (cookie jar + form posts) to drive the login and consent pages.
 */
import * as oidc from 'openid-client';
import { bearer, buildTestApp, type TestApp } from '../helpers/app.ts';
import type { TestDialect } from '../helpers/dialects.ts';
import { freePort } from '../helpers/server.ts';

export interface OidcTestApp extends TestApp {
  url: string;
  issuer: URL;
}

export async function startOidcApp(dialect: TestDialect, env: Record<string, string> = {}): Promise<OidcTestApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t = await buildTestApp(dialect, { PUBLIC_URL: url, ...env });
  await t.app.listen({ host: '127.0.0.1', port });
  return Object.assign(t, { url, issuer: new URL(`${url}/oidc`) });
}

export const insecure = { execute: [oidc.allowInsecureRequests] };

/** Creates an org, a service account in it and a client-credentials client over the native API. */
export async function serviceAccountClient(t: OidcTestApp, scopes: string[] = ['read', 'write']) {
  const slug = `sa${Math.floor(Math.random() * 1e9)}`;
  const org = await fetch(`${t.url}/v1/orgs`, {
    method: 'POST',
    headers: { ...bearer(t.adminKey), 'content-type': 'application/json' },
    body: JSON.stringify({ slug, name: 'SA org' }),
  });
  if (org.status !== 201) throw new Error(`org: ${org.status} ${await org.text()}`);
  const sa = await fetch(`${t.url}/v1/service-accounts`, {
    method: 'POST',
    headers: { ...bearer(t.adminKey), 'content-type': 'application/json' },
    body: JSON.stringify({ org: slug, username: `bot_${slug}`, name: 'Automation Bot' }),
  });
  if (sa.status !== 201) throw new Error(`service account: ${sa.status} ${await sa.text()}`);
  const account = (await sa.json()) as { id: string; username: string };
  const c = await fetch(`${t.url}/v1/service-accounts/${account.id}/oauth-clients`, {
    method: 'POST',
    headers: { ...bearer(t.adminKey), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'ci', scopes }),
  });
  if (c.status !== 201) throw new Error(`client: ${c.status} ${await c.text()}`);
  const client = (await c.json()) as { id: string; client_id: string; client_secret: string };
  return { slug, account, client };
}

/** An application client (authorization code + refresh) registered by the admin. */
export async function appClient(t: OidcTestApp, body: Record<string, unknown> = {}) {
  const c = await fetch(`${t.url}/v1/oauth-clients`, {
    method: 'POST',
    headers: { ...bearer(t.adminKey), 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Web app',
      redirect_uris: ['http://127.0.0.1:9/cb'],
      scopes: ['openid', 'profile', 'email', 'offline_access', 'read', 'write'],
      ...body,
    }),
  });
  if (c.status !== 201) throw new Error(`client: ${c.status} ${await c.text()}`);
  return (await c.json()) as { id: string; client_id: string; client_secret: string | null };
}

/** A cookie jar over fetch that never follows redirects. */
export class Browser {
  private jar = new Map<string, string>();
  /** every answer this browser got, in order, with the header that says whether it may be cached */
  readonly visited: { url: string; status: number; cacheControl: string | null }[] = [];
  async get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }
  async post(url: string, form: Record<string, string>): Promise<Response> {
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }
  private async send(url: string, init: RequestInit): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), ...(cookie ? { cookie } : {}) } });
    this.visited.push({ url, status: res.status, cacheControl: res.headers.get('cache-control') });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }
}

export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error(`no csrf field in: ${html.slice(0, 300)}`);
  return m[1];
}

export function formAction(html: string, suffix: string): string {
  const m = new RegExp(`action="([^"]+/${suffix})"`).exec(html);
  if (!m?.[1]) throw new Error(`no ${suffix} form`);
  return m[1];
}

/**
 * Follows the authorization request through login and consent the way a person's browser would;
 * returns the final redirect to the client (with `code`) or the response that stopped it.
 */
export async function authorize(
  t: OidcTestApp,
  authUrl: URL,
  login: { username: string; password: string },
  browser = new Browser(),
): Promise<{ location: string | null; last: Response }> {
  let res = await browser.get(authUrl.href);
  for (let hops = 0; hops < 10; hops++) {
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, t.url);
      if (next.origin !== t.url) return { location: next.href, last: res };
      res = await browser.get(next.href);
      continue;
    }
    if (res.status !== 200) return { location: null, last: res };
    const html = await res.text();
    const csrf = csrfOf(html);
    if (html.includes('/login"')) {
      res = await browser.post(new URL(formAction(html, 'login'), t.url).href, { csrf, login: login.username, password: login.password });
    } else {
      res = await browser.post(new URL(formAction(html, 'confirm'), t.url).href, { csrf });
    }
  }
  throw new Error('too many hops');
}
