// Test support: a real repository in-process (real SQLite or PostgreSQL, real audit log) behind
// real mutual TLS, and gRPC clients holding the proxy's, the engine's and the CLI's certificates.
import { createTestSite, type TestSite } from '@trustzone/testing';
import { RepositoryService, TrustZoneClient, trustZoneTls, type AssertedUser, type RepositoryDefinition } from '@trustzone/contracts';
import { identityAllowList } from '@trustzone/trust';
import { loadRepositoryConfig } from '../config';
import { createRepository } from '../create-repository';
import type { DbProvider } from '../db';
import { freshDatabaseUrl } from '../db/test-database';

export type RepoClient = TrustZoneClient<RepositoryDefinition>;

export interface RepositoryHarness {
  site: TestSite;
  repository: Awaited<ReturnType<typeof createRepository>>;
  port: number;
  proxy: RepoClient;
  engine: RepoClient;
  /** The CLI's integration identity: not allowed to assert users. */
  cli: RepoClient;
  stop(): Promise<void>;
}

export const DEADLINE = { deadlineMs: 15_000 };

/** An end user as the proxy asserts it (management context unless told otherwise). */
export function asUser(userDirectory: string, userId: string, more: Partial<AssertedUser> = {}): AssertedUser {
  return { userDirectory, userId, context: 'management', attributes: {}, anonymous: false, ip: '10.0.0.1', secure: true, ...more };
}

export async function startRepository(provider: DbProvider, env: Record<string, string> = {}): Promise<RepositoryHarness> {
  const site = await createTestSite({ admin: 'CORP\\admin' });
  const db = provider === 'postgresql' ? freshDatabaseUrl('postgresql') : undefined;
  let repository: RepositoryHarness['repository'] | undefined;
  try {
    repository = await createRepository(loadRepositoryConfig({
      TZ_DATA_DIR: site.dataDir, TZ_REPOSITORY_METRICS_PORT: 'off', TZ_LOG_LEVEL: 'error', TZ_AUDIT_CHECKPOINT_EVERY: '50',
      ...(db ? { TZ_DATABASE_URL: db.url } : {}), ...env,
    }));
    const running = await repository.listen(0);
    const client = (name: string): RepoClient =>
      new TrustZoneClient<RepositoryDefinition>(RepositoryService, { address: `localhost:${running.port}`, tls: trustZoneTls(site.store(name)), expect: identityAllowList(['repository']) });
    const clients = { proxy: client('proxy'), engine: client('engine'), cli: client('cli') };
    const repo = repository;
    return {
      site, repository: repo, port: running.port, ...clients,
      async stop() {
        for (const c of Object.values(clients)) c.close();
        await running.stop(2_000);
        await db?.drop();
        site.cleanup();
      },
    };
  } catch (e) {
    await repository?.close();
    await db?.drop();
    site.cleanup();
    throw e;
  }
}
