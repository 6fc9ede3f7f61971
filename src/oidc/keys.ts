/**
 * The provider's signing keys: generated on first start, stored sealed (AES-256-GCM under a key
 * derived with HKDF from OIDC_KEY_SECRET), published in the JWKS. `roster oidc rotate-keys` adds
 * a key that signs from the next start on; older keys stay published so tokens they signed keep
 * verifying.
 *
 * OIDC_KEY_SECRET unset: with a SQLite file, a random secret is generated once and kept in
 * `oidc-key-secret` next to the database file (mode 0600), so a single-node install needs no
 * setup; with `sqlite::memory:` it lives in the process (nothing outlives it anyway); with
 * PostgreSQL a local `./data/oidc-key-secret` is used the same way, which is only right for one
 * instance: several instances must share OIDC_KEY_SECRET (documented in docs/configuration.md).
 */
import { createCipheriv, createDecipheriv, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config.ts';
import { newUuid } from '../core/ids.ts';
import type { Store } from '../core/ports.ts';

export type PrivateJwk = Record<string, unknown> & { kid: string; alg: string; use: string };

const ALG = 'RS256';

/** The secret keys are sealed under (see the file comment for where it comes from). */
export function resolveKeySecret(config: Config): string {
  if (config.OIDC_KEY_SECRET) return config.OIDC_KEY_SECRET;
  const url = config.DATABASE_URL;
  if (url === 'sqlite::memory:') return memorySecret;
  const dir = url.startsWith('sqlite:') ? dirname(url.slice('sqlite:'.length)) : 'data';
  const file = join(dir, 'oidc-key-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}

const memorySecret = randomBytes(32).toString('base64url');

/** Independent keys from one secret, one per purpose (key sealing, cookie signing). */
export function deriveKey(secret: string, purpose: 'signing-keys' | 'cookies'): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'roster-oidc', purpose, 32));
}

export function seal(plain: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function unseal(sealed: string, key: Buffer): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !body) throw new Error('unknown sealed key format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

function generateJwk(): PrivateJwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: newUuid(), alg: ALG, use: 'sig' };
}

/** Adds a new signing key; returns its kid. */
export async function addSigningKey(store: Store, secret: string, now = new Date()): Promise<string> {
  const jwk = generateJwk();
  await store.signingKeys.insert({
    kid: jwk.kid,
    alg: ALG,
    sealed: seal(JSON.stringify(jwk), deriveKey(secret, 'signing-keys')),
    createdAt: now.toISOString(),
    retiredAt: null,
  });
  return jwk.kid;
}

/** Every published key, newest (the signing one) first; one is made when there is none. */
export async function loadSigningKeys(store: Store, secret: string): Promise<PrivateJwk[]> {
  let rows = await store.signingKeys.list();
  if (rows.length === 0) {
    try {
      await addSigningKey(store, secret);
    } catch {
      // Another instance made the first key at the same moment: use theirs.
    }
    rows = await store.signingKeys.list();
  }
  const key = deriveKey(secret, 'signing-keys');
  return rows
    .filter((r) => r.retiredAt === null)
    .map((r) => {
      try {
        return JSON.parse(unseal(r.sealed, key)) as PrivateJwk;
      } catch {
        throw new Error(`OIDC signing key ${r.kid} cannot be decrypted: OIDC_KEY_SECRET differs from the one it was sealed with`);
      }
    });
}
