import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'roster-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the real server over HTTP', () => {
  it('prints a generated admin key once, serves it, and exits 0 on SIGTERM', async () => {
    const db = `sqlite:${join(dir, 'first.db')}`;
    const s = await startServer({ DATABASE_URL: db });
    const key = /(rst_[A-Za-z0-9]{8}_[A-Za-z0-9]{32})/.exec(s.stdout())?.[1];
    expect(key).toBeDefined();
    const me = await fetch(`${s.url}/v1/users/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    expect((await me.json()).username).toBe('admin');
    expect(await s.stop()).toBe(0);
    // Second start on the same database: no new key is printed, the old one still works.
    const again = await startServer({ DATABASE_URL: db });
    expect(again.stdout()).not.toContain('rst_');
    const me2 = await fetch(`${again.url}/v1/users/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me2.status).toBe(200);
    expect(await again.stop()).toBe(0);
    // The secret is not stored in clear.
    const file = readFileSync(join(dir, 'first.db'));
    expect(file.includes(Buffer.from(key as string))).toBe(false);
  });

  it('uses ROSTER_ADMIN_API_KEY exactly when set and prints no key', async () => {
    const s = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'given.db')}`, ROSTER_ADMIN_API_KEY: 'my-operator-chosen-key-123' });
    expect(s.stdout()).not.toContain('my-operator-chosen-key-123');
    const me = await fetch(`${s.url}/v1/users/me`, { headers: { authorization: 'Bearer my-operator-chosen-key-123' } });
    expect(me.status).toBe(200);
    expect(await s.stop()).toBe(0);
  });

  it('finishes in-flight requests on SIGTERM', async () => {
    const s = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'drain.db')}`, ROSTER_ADMIN_API_KEY: 'drain-key-123456789' });
    const inflight = Array.from({ length: 50 }, () =>
      fetch(`${s.url}/v1/users/me`, { headers: { authorization: 'Bearer drain-key-123456789' } }).then((r) => r.status),
    );
    await new Promise((r) => setTimeout(r, 5));
    const exit = s.stop();
    const statuses = await Promise.allSettled(inflight);
    expect(await exit).toBe(0);
    const completed = statuses.filter((x) => x.status === 'fulfilled').map((x) => (x as PromiseFulfilledResult<number>).value);
    for (const code of completed) expect([200, 503]).toContain(code);
  });

  it('refuses a bad config value with one line naming the key and exit 1', async () => {
    const err = await run(process.execPath, ['bin/roster.js', 'serve'], { env: { PATH: process.env.PATH ?? '', PORT: 'eighty' } }).catch(
      (e) => e,
    );
    expect(err.code).toBe(1);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toContain('PORT');
  });
});

describe('the roster CLI', () => {
  const env = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`,
    LOG_LEVEL: 'silent',
    ROSTER_ADMIN_API_KEY: 'cli-admin-key-123456',
  };

  it('migrates, creates a user and a key whose secret is alone on the last line', async () => {
    expect((await run(process.execPath, ['bin/roster.js', 'migrate'], { env })).stdout).toContain('migrations applied');
    const created = await run(
      process.execPath,
      ['bin/roster.js', 'users', 'create', '--email', 'cli@example.com', '--username', 'cliuser'],
      { env },
    );
    expect(created.stdout).toContain('cliuser');
    const key = await run(process.execPath, ['bin/roster.js', 'keys', 'create', '--user', 'cliuser'], { env });
    const last = key.stdout.trim().split('\n').pop() as string;
    expect(last).toMatch(/^rst_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$/);
    const list = await run(process.execPath, ['bin/roster.js', 'keys', 'list', '--user', 'cli@example.com'], { env });
    expect(list.stdout).toContain(last.slice(0, 12));
    expect(list.stdout).not.toContain(last);
  });

  it('creates a superuser with a password from stdin', async () => {
    const child = execFile(
      process.execPath,
      ['bin/roster.js', 'users', 'create', '--email', 'su@example.com', '--superuser', '--password-stdin'],
      { env },
    );
    child.stdin?.end('a-long-unusual-passphrase\n');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(0);
  });

  it('fails with one clear line and a non-zero exit', async () => {
    const dupe = await run(process.execPath, ['bin/roster.js', 'users', 'create', '--email', 'cli@example.com'], { env }).catch((e) => e);
    expect(dupe.code).not.toBe(0);
    expect(dupe.stderr.trim().split('\n')).toHaveLength(1);
    expect(dupe.stderr).toContain('EMAIL_TAKEN');
    const unknown = await run(process.execPath, ['bin/roster.js', 'keys', 'create', '--user', 'nobody'], { env }).catch((e) => e);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no user nobody');
  });
});
