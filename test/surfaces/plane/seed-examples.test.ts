/**
 * Seed 000's own examples, run as written against the real server over HTTP: the curl command
 * (given three times on the page), the Python `requests` snippet and the JavaScript `fetch`
 * snippet. Only the host is replaced; the placeholder key `your_api_key` is the admin's real key.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../helpers/server.ts';

const run = promisify(execFile);
const examples = join(import.meta.dirname, 'seed-examples');
const PLANE_HOST = 'https://api.plane.so';
const KEY = 'your_api_key';

describe('seed 000 examples against a running server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-plane-seed-'));
  let server: RunningServer;
  let uuid: string;

  /** The example's text with Plane's host replaced by the server's, and nothing else changed. */
  const example = (file: string) => {
    const text = readFileSync(join(examples, file), 'utf8');
    expect(text).toContain(PLANE_HOST);
    return text.replaceAll(PLANE_HOST, server.url);
  };

  beforeAll(async () => {
    server = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'plane.db')}`, ROSTER_ADMIN_API_KEY: KEY });
    // The seed's sample user is John Doe: give the admin those names (display_name follows them).
    const me = await (await fetch(`${server.url}/v1/users/me`, { headers: { authorization: `Bearer ${KEY}` } })).json();
    const patched = await fetch(`${server.url}/v1/users/${me.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ first_name: 'John', last_name: 'Doe' }),
    });
    expect(patched.status).toBe(200);
    uuid = me.uuid;
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('curl: "Testing Your API Key" / "Verify Authentication" returns the key owner', async () => {
    const { stdout } = await run('sh', ['-c', example('verify_authentication.sh')]);
    const user = JSON.parse(stdout);
    expect(Object.keys(user)).toEqual(['id', 'first_name', 'last_name', 'email', 'avatar', 'avatar_url', 'display_name']);
    expect(user).toMatchObject({ id: uuid, first_name: 'John', last_name: 'Doe', display_name: 'John Doe', avatar: '', avatar_url: null });
  });

  it('python3 + requests: "Get User Context" greets the user', async () => {
    const { stdout } = await run('python3', ['-c', example('get_user_context.py')]);
    expect(stdout).toBe('Welcome, John Doe!\n');
  });

  it('JavaScript fetch: "Display User Avatar" reads avatar_url (null when unset)', async () => {
    // The snippet is browser code: give it the one DOM call it makes, and nothing else.
    const stub = 'const avatar = {}; globalThis.document = { querySelector: () => avatar };\n';
    const report = '\nconsole.log(JSON.stringify({ src: avatar.src }));\n';
    const file = join(dir, 'display_user_avatar.mjs');
    writeFileSync(file, stub + example('display_user_avatar.js.txt') + report);
    const { stdout } = await run(process.execPath, [file]);
    expect(JSON.parse(stdout)).toEqual({ src: null });
  });
});
