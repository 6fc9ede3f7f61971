/**
 * oidc-provider's storage adapter over core's Store (so over Kysely, on both databases). One
 * instance per model name. Ids are stored as their SHA-256: codes and tokens are their ids.
 * `Client` is read from `oauth_clients`, never written (clients are managed by the native API).
 */
import { type Adapter, type AdapterPayload, errors } from 'oidc-provider';
import { sha256Hex } from '../core/ids.ts';
import { nowAndThen } from '../core/now-and-then.ts';
import type { StoredProviderRecord } from '../core/oauth/types.ts';
import type { Store } from '../core/ports.ts';
import { clientMetadata } from './client-metadata.ts';

function live(r: StoredProviderRecord | undefined): AdapterPayload | undefined {
  if (!r) return undefined;
  if (r.expiresAt !== null && Date.parse(r.expiresAt) <= Date.now()) return undefined;
  const payload = JSON.parse(r.payload) as AdapterPayload;
  return r.consumedAt !== null ? { ...payload, consumed: Math.floor(Date.parse(r.consumedAt) / 1000) } : payload;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** How often expired codes, tokens, sessions and grants of the provider are deleted. */
const PURGE_EVERY_MS = 3_600_000;

export function adapterFactory(store: Store) {
  const purgeExpired = nowAndThen(PURGE_EVERY_MS, (nowMs) => store.providerRecords.purgeExpired(new Date(nowMs).toISOString()));
  return class RosterAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') return;
      purgeExpired(Date.now());
      await store.providerRecords.upsert({
        model: this.model,
        idHash: sha256Hex(id),
        payload: JSON.stringify(payload),
        // the Grant's own row carries its id, so revoking the grant removes it with its tokens
        grantId: this.model === 'Grant' ? id : str(payload.grantId),
        userCode: str(payload.userCode),
        uid: str(payload.uid),
        clientId: str(payload.clientId),
        accountUuid: str(payload.accountId),
        expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : null,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') {
        const found = await store.oauthClients.findForAuthentication(id);
        // A disabled client, or one whose service account is deactivated, does not exist for the provider.
        if (!found || found.client.disabledAt !== null || found.ownerActive === false) return undefined;
        return clientMetadata(found.client, found.secretHash);
      }
      return live(await store.providerRecords.find(this.model, sha256Hex(id)));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return live(await store.providerRecords.findByUid(this.model, uid));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return live(await store.providerRecords.findByUserCode(this.model, userCode));
    }

    /**
     * Single use under concurrency: the conditional UPDATE lets exactly one caller consume a code
     * or refresh token. The provider checks `consumed` before calling this, but two requests can
     * both pass that check; the loser is treated as a replay: its whole grant is revoked.
     */
    async consume(id: string): Promise<void> {
      const idHash = sha256Hex(id);
      if (await store.providerRecords.consume(this.model, idHash, new Date().toISOString())) return;
      const record = live(await store.providerRecords.find(this.model, idHash));
      if (typeof record?.grantId === 'string') await store.providerRecords.revokeByGrantId(record.grantId);
      throw new errors.InvalidGrant(`${this.model === 'RefreshToken' ? 'refresh token' : 'authorization code'} already used`);
    }

    async destroy(id: string): Promise<void> {
      await store.providerRecords.destroy(this.model, sha256Hex(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await store.providerRecords.revokeByGrantId(grantId);
    }
  };
}
