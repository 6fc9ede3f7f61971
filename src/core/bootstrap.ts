/**
 * First start on an empty database: the superuser `admin` and its API key. The key is the
 * operator's ROSTER_ADMIN_API_KEY when given, else generated and returned once for printing.
 */
import type { Core } from './index.ts';

export interface BootstrapSettings {
  adminEmail: string;
  adminPassword: string;
  adminApiKey: string;
}

export interface BootstrapResult {
  created: boolean;
  /** the generated key, to print once; undefined when the operator supplied one or nothing was created */
  generatedKey?: string;
}

export async function bootstrap(core: Core, settings: BootstrapSettings): Promise<BootstrapResult> {
  if ((await core.users.count()) > 0) return { created: false };
  const admin = await core.users.createTrusted({
    username: 'admin',
    email: settings.adminEmail,
    isStaff: true,
    isSuperuser: true,
    ...(settings.adminPassword ? { password: settings.adminPassword } : {}),
  });
  const { secret } = await core.apiKeys.mintTrusted(admin, {
    name: 'bootstrap',
    ...(settings.adminApiKey ? { secret: settings.adminApiKey } : {}),
  });
  await core.afterBootstrap(admin);
  return settings.adminApiKey ? { created: true } : { created: true, generatedKey: secret };
}
