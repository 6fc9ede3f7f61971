/**
 * The one configuration schema. It is read from the environment once at start, validated,
 * frozen and passed down explicitly; nothing else in the program reads `process.env`.
 * Every key carries a description: `docs/configuration.md` and `.env.example` list them all and a
 * test keeps the three in agreement.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const LogLevel = Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)));

export const ConfigSchema = Type.Object({
  DATABASE_URL: Type.String({
    default: 'sqlite:./data/roster.db',
    pattern: '^(sqlite:.+|postgres(ql)?://.+)$',
    description: 'Where users live: `sqlite:<path>` (embedded, the default), `sqlite::memory:`, or `postgres://user@host:port/db`.',
  }),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'Address to listen on.' }),
  PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'TCP port to listen on.' }),
  PUBLIC_URL: Type.String({
    default: '',
    pattern: '^(|https?://[^\\s]+)$',
    description: 'Public base URL used for absolute links in responses (CVAT `url`, `next`). Empty: `http://HOST:PORT`.',
  }),
  LOG_LEVEL: Type.Union(LogLevel.anyOf, {
    default: 'info',
    description: 'pino log level: fatal, error, warn, info, debug, trace or silent.',
  }),
  REDIS_URL: Type.String({
    default: '',
    pattern: '^(|rediss?://.+)$',
    description: 'Optional `redis://host:port`. When set, rate-limit counters are shared through Redis.',
  }),
  ROSTER_ADMIN_EMAIL: Type.String({
    default: 'admin@localhost',
    minLength: 3,
    description: 'Email of the bootstrap superuser `admin`, created on an empty database.',
  }),
  ROSTER_ADMIN_PASSWORD: Type.String({
    default: '',
    description: 'Optional password of the bootstrap admin. Empty: the admin has no password login.',
  }),
  ROSTER_ADMIN_API_KEY: Type.String({
    default: '',
    description: 'Optional API key of the bootstrap admin, used exactly as given. Empty: one is generated and printed once on first start.',
  }),
  SQLITE_SYNCHRONOUS: Type.Union([Type.Literal('NORMAL'), Type.Literal('FULL')], {
    default: 'FULL',
    description:
      'SQLite `synchronous` pragma (WAL mode). FULL (default): an acknowledged write survives power loss too. NORMAL: ~40 % more write throughput; survives a process crash, but the last commits may roll back after an OS crash or power cut.',
  }),
  DB_POOL_MAX: Type.Integer({
    default: 10,
    minimum: 1,
    maximum: 200,
    description: 'PostgreSQL connection pool size per process.',
  }),
  DB_CONNECT_TIMEOUT_MS: Type.Integer({
    default: 5000,
    minimum: 100,
    maximum: 600000,
    description:
      'PostgreSQL: how long a request waits for a new database connection before it fails with 503 (while the database is down or the pool is exhausted).',
  }),
  REGISTRATION: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('invite')], {
    default: 'closed',
    description: 'Self-service registration: `closed`, `open`, or `invite` (needs an invitation).',
  }),
  SESSION_IDLE_MINUTES: Type.Integer({
    default: 60,
    minimum: 1,
    maximum: 525600,
    description: 'A login session (cookie or session token) ends after this many minutes without use.',
  }),
  SESSION_MAX_HOURS: Type.Integer({
    default: 24,
    minimum: 1,
    maximum: 8760,
    description: 'A login session ends this many hours after login, however much it is used.',
  }),
  LOGIN_MAX_FAILURES: Type.Integer({
    default: 10,
    minimum: 1,
    maximum: 1000,
    description:
      'Failed logins per account and client address before each further attempt waits a doubling delay (1 s … 15 min). The account alone allows 5×, one address 10×.',
  }),
  REGISTER_RATE_LIMIT_PER_HOUR: Type.Integer({
    default: 20,
    minimum: 1,
    maximum: 1000000,
    description: 'Self-registrations per hour per client address (`POST /v1/auth/register`).',
  }),
  API_KEY_DEFAULT_TTL_DAYS: Type.Integer({
    default: 0,
    minimum: 0,
    maximum: 36500,
    description: 'Default lifetime of new API keys in days when the request sets none. 0: no expiry.',
  }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({
    default: 600,
    minimum: 1,
    maximum: 1000000,
    description: 'Requests per minute per credential (or client address) on surfaces without their own limit.',
  }),
  PLANE_RATE_LIMIT_PER_MINUTE: Type.Integer({
    default: 60,
    minimum: 1,
    maximum: 1000000,
    description: "Requests per minute per API key on the Plane surface (Plane's own default is 60).",
  }),
  BODY_LIMIT_BYTES: Type.Integer({
    default: 1048576,
    minimum: 1024,
    maximum: 104857600,
    description: 'Largest accepted request body; larger bodies get 413.',
  }),
  TRUST_PROXY: Type.Boolean({
    default: false,
    description: 'Trust `X-Forwarded-*` headers (set when Roster runs behind a reverse proxy).',
  }),
  OIDC_KEY_SECRET: Type.String({
    default: '',
    pattern: '^(|.{32,})$',
    description:
      'Secret (at least 32 characters) the OpenID provider seals its signing keys and signs its cookies with. Empty: generated once into `oidc-key-secret` next to the SQLite file (or `./data/` with PostgreSQL); several instances must share one value.',
  }),
  OIDC_ACCESS_TOKEN_TTL_SECONDS: Type.Integer({
    default: 3600,
    minimum: 1,
    maximum: 86400,
    description: 'Lifetime of access tokens the OpenID provider issues (authorization code and client credentials).',
  }),
  OIDC_REFRESH_TOKEN_TTL_DAYS: Type.Integer({
    default: 14,
    minimum: 1,
    maximum: 365,
    description: 'Lifetime of refresh tokens and grants; each refresh rotates the token, reusing an old one revokes the grant.',
  }),
});

export type Config = Readonly<Static<typeof ConfigSchema>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The keys of the schema, in declaration order (docs and .env.example follow it). */
export const configKeys = Object.keys(ConfigSchema.properties) as (keyof Config)[];

/**
 * Reads the known keys from `env`, applies defaults and coerces numbers and booleans.
 * A bad value throws one ConfigError whose message names the key.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const raw: Record<string, unknown> = {};
  for (const key of configKeys) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const withDefaults = Value.Default(ConfigSchema, raw);
  const converted = Value.Convert(ConfigSchema, withDefaults);
  const firstError = Value.Errors(ConfigSchema, converted).First();
  if (firstError) {
    const key = firstError.path.replace(/^\//, '').split('/')[0] ?? '';
    const given = env[key];
    throw new ConfigError(`invalid configuration: ${key}=${JSON.stringify(given ?? '')} (${describe(key)})`);
  }
  return Object.freeze(converted as Static<typeof ConfigSchema>);
}

function describe(key: string): string {
  const prop = (ConfigSchema.properties as Record<string, { description?: string }>)[key];
  return prop?.description ?? 'unknown key';
}

/** The base URL for absolute links: PUBLIC_URL, or the listen address. No trailing slash. */
export function publicBaseUrl(config: Config): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  return `http://${host}:${config.PORT}`;
}
