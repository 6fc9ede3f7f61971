/** Bench setup for the OAuth rows: an organization, a service account, its client and one token, over HTTP. */
export async function prepareOAuth(
  baseUrl: string,
  adminKey: string,
  runTag: string,
): Promise<{ clientId: string; clientSecret: string; accessToken: string }> {
  const json = async (path: string, body: object) => {
    const r = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json() as Promise<Record<string, string>>;
  };
  const slug = `bench-oauth-${runTag}`;
  await json('/v1/orgs', { slug, name: 'Bench OAuth' });
  const account = await json('/v1/service-accounts', { org: slug, username: `bench_bot_${runTag}` });
  const client = await json(`/v1/service-accounts/${account.id}/oauth-clients`, { scopes: ['read'] });
  const clientId = client.client_id as string;
  const clientSecret = client.client_secret as string;
  const r = await fetch(`${baseUrl}/oidc/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=read',
  });
  if (!r.ok) throw new Error(`token: ${r.status} ${await r.text()}`);
  const { access_token } = (await r.json()) as { access_token: string };
  return { clientId, clientSecret, accessToken: access_token };
}
