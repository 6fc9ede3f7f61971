/**
 * `roster <command>`: serve, migrate, users create, keys create|list|revoke, seed, oidc rotate-keys.
 * Errors print one line to stderr and exit non-zero.
 */
import { parseArgs } from 'node:util';
import { bootstrap } from './core/bootstrap.ts';
import { AppError } from './core/errors.ts';
import type { User } from './core/users/users.types.ts';
import { configOrExit, serve } from './main.ts';
import { addSigningKey, resolveKeySecret } from './oidc/keys.ts';
import { openRuntime } from './runtime.ts';
import { seedDatabase } from './storage/seed.ts';

const usage = `usage:
  roster serve
  roster migrate
  roster users create --email <email> [--username <name>] [--superuser] [--password-stdin]
  roster keys create --user <username|email> [--name <name>]
  roster keys list --user <username|email>
  roster keys revoke --user <username|email> --id <key id>
  roster seed --users <n> [--orgs <n>] [--members-per-org <n>]
  roster oidc rotate-keys`;

class CliError extends Error {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export async function runCli(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  const config = configOrExit(process.env);
  if (command === 'serve' || command === undefined) {
    await serve(config);
    return -1; // keep running
  }
  if (command === 'migrate') {
    const rt = await openRuntime(config);
    await rt.close();
    process.stdout.write('migrations applied\n');
    return 0;
  }
  if (command === 'oidc' && sub === 'rotate-keys') {
    // The new key signs from the next start on; older keys stay in the JWKS, so what they signed still verifies.
    const rt = await openRuntime(config);
    try {
      const kid = await addSigningKey(rt.core.store, resolveKeySecret(config));
      process.stdout.write(`added OIDC signing key ${kid}; restart the servers to sign with it (older keys stay published)\n`);
      return 0;
    } finally {
      await rt.close();
    }
  }
  const args = parseArgs({
    // `seed` takes its options right after the command; the others have a sub-command first
    args: command === 'seed' ? argv.slice(1) : rest,
    options: {
      email: { type: 'string' },
      username: { type: 'string' },
      superuser: { type: 'boolean', default: false },
      'password-stdin': { type: 'boolean', default: false },
      user: { type: 'string' },
      name: { type: 'string' },
      id: { type: 'string' },
      users: { type: 'string' },
      orgs: { type: 'string' },
      'members-per-org': { type: 'string' },
    },
    strict: true,
  }).values;
  if (command === 'seed') return seed(config, args);
  const rt = await openRuntime(config);
  try {
    await bootstrap(rt.core, {
      adminEmail: config.ROSTER_ADMIN_EMAIL,
      adminPassword: config.ROSTER_ADMIN_PASSWORD,
      adminApiKey: config.ROSTER_ADMIN_API_KEY,
    });
    const findUser = async (login: string | undefined): Promise<User> => {
      if (!login) throw new CliError('--user is required');
      const user = login.includes('@') ? await rt.core.users.findByEmail(login) : await rt.core.users.findByUsername(login);
      if (!user) throw new CliError(`no user ${login}`);
      return user;
    };
    if (command === 'users' && sub === 'create') {
      if (!args.email) throw new CliError('--email is required');
      const password = args['password-stdin'] ? await readStdin() : undefined;
      const user = await rt.core.users.createTrusted({
        email: args.email,
        ...(args.username ? { username: args.username } : {}),
        ...(args.superuser ? { isSuperuser: true, isStaff: true } : {}),
        ...(password !== undefined ? { password } : {}),
      });
      process.stdout.write(`created user ${user.username} (id ${user.id}, ${user.email})\n`);
      return 0;
    }
    if (command === 'keys' && sub === 'create') {
      const user = await findUser(args.user);
      const { key, secret } = await rt.core.apiKeys.mintTrusted(user, { name: args.name ?? 'cli' });
      process.stdout.write(`created key ${key.uuid} (${key.prefix}) for ${user.username}; the secret is shown once:\n${secret}\n`);
      return 0;
    }
    if (command === 'keys' && sub === 'list') {
      const user = await findUser(args.user);
      const admin = { user, credential: { kind: 'api_key' as const, id: 'cli', scopes: ['read', 'write', 'admin'] as const } };
      for (const k of await rt.core.apiKeys.list(admin, user)) {
        process.stdout.write(
          `${k.uuid}\t${k.prefix}\t${k.name}\t${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}\tcreated ${k.createdAt}\tlast used ${k.lastUsedAt ?? 'never'}\n`,
        );
      }
      return 0;
    }
    if (command === 'keys' && sub === 'revoke') {
      const user = await findUser(args.user);
      if (!args.id) throw new CliError('--id is required');
      const admin = { user, credential: { kind: 'api_key' as const, id: 'cli', scopes: ['read', 'write', 'admin'] as const } };
      await rt.core.apiKeys.revoke(admin, user, args.id);
      process.stdout.write(`revoked ${args.id}\n`);
      return 0;
    }
    throw new CliError(`unknown command: ${[command, sub].filter(Boolean).join(' ')}\n${usage}`);
  } finally {
    await rt.close();
  }
}

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CliError(`${flag} must be a non-negative integer`);
  return Number(value);
}

/** `roster seed`: bulk-fill the database with generated users, organizations and memberships. */
async function seed(
  config: ReturnType<typeof configOrExit>,
  args: { users?: string; orgs?: string; 'members-per-org'?: string },
): Promise<number> {
  const users = count(args.users, '--users');
  if (users === undefined) throw new CliError(`--users is required\n${usage}`);
  const orgs = count(args.orgs, '--orgs');
  const membersPerOrg = count(args['members-per-org'], '--members-per-org');
  const rt = await openRuntime(config);
  try {
    const started = Date.now();
    const result = await seedDatabase(rt.handle, {
      users,
      ...(orgs !== undefined ? { orgs } : {}),
      ...(membersPerOrg !== undefined ? { membersPerOrg } : {}),
      onProgress: (p) => {
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        process.stderr.write(`seed: ${p.phase} ${p.done}/${p.total} (${secs} s)\n`);
      },
    });
    process.stdout.write(
      `seeded ${result.users} users, ${result.orgs} organizations, ${result.memberships} memberships in ${(result.ms / 1000).toFixed(1)} s\n`,
    );
    return 0;
  } finally {
    await rt.close();
  }
}

const isEntry = process.env.ROSTER_CLI === '1';
if (isEntry) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (err: unknown) => {
      const message = err instanceof AppError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
      process.stderr.write(`roster: ${message}\n`);
      process.exit(
        err instanceof CliError || err instanceof AppError || (err as { code?: string })?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 2 : 1,
      );
    },
  );
}
