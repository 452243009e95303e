import { openSiteAuditLog } from '@trustzone/logging';
import type { LoadedConfig } from '@trustzone/config';
import { RepositoryService } from '@trustzone/contracts';
import { readSiteManifest } from '@trustzone/trust';
import { RepositoryAudit } from './audit/repository-audit';
import { SiteCache } from './cache/site-cache';
import type { repositoryConfigSpec } from './config';
import { EntityService } from './entities/entity-service';
import { openRepositoryDatabase } from './repository-database';
import type { RepositoryCore } from './repository-core';
import { createServiceHost } from '@trustzone/service-host';
import { repositoryHandlers } from './rpc/repository-handlers';
import { AccessFactory } from './security/access-factory';
import { ActingUsers } from './security/acting-user';
import { RuleEngineCache } from './security/rule-engine-cache';
import { seedSite } from './seed/seed-site';
import { startRetirementSweep } from './upkeep/certificate-retirement';
import { watchDataDirDisk } from './upkeep/disk-watch';
import { startTaskScheduler } from './scheduler/start-task-scheduler';

/**
 * Builds the repository from validated config: migrate the database, open the audit trail (signed
 * with the repository's key), seed what is missing, then serve the Repository RPCs. `listen()`
 * binds it (tests run it in-process on port 0). A failure half-way releases what was opened.
 */
export async function createRepository({ config, warnings }: LoadedConfig<typeof repositoryConfigSpec>) {
  const host = createServiceHost({ service: 'repository', dataDir: config.dataDir, logLevel: config.logLevel, logStdout: config.logStdout, warnings });
  const cleanup: (() => Promise<void>)[] = [async () => host.close()];
  const closeAll = async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
  };
  try {
    const manifest = readSiteManifest(host.paths.siteJson);
    const { database, stores, applied } = await openRepositoryDatabase(config, host.paths);
    cleanup.push(() => database.close());
    if (applied.length > 0) host.logger.info('database migrated', { applied });
    const material = host.store.current();
    const log = await openSiteAuditLog(host.paths, { keyPem: material.keyPem, certPem: material.certPem }, {
      checkpointEvery: config.auditCheckpointEvery,
      checkpointMs: config.auditCheckpointMs,
      maxFileBytes: config.auditMaxFileBytes,
      retainBytes: config.auditRetainBytes,
      onRetention: (r) => ('error' in r ? host.logger.error('audit retention failed; no file was dropped', { error: r.error }) : host.logger.info('audit retention dropped the oldest files', r)),
    });
    const audit = new RepositoryAudit(log, host.logger);
    cleanup.push(() => audit.close());
    host.onRefused((r) => audit.refused(r));
    // Checkpoints are signed with the key the repository presents: after a rotation, the new one
    // (the old certificate is revoked once the grace period ends, and so stops vouching).
    let signerSerial = material.serial;
    host.store.on('change', (m) => {
      if (m.serial === signerSerial) return;
      signerSerial = m.serial;
      log.setSigner({ keyPem: m.keyPem, certPem: m.certPem });
    });
    const sweep = startRetirementSweep({ dataDir: host.paths.dataDir, intervalMs: config.certRetireCheckMs, audit, logger: host.logger });
    cleanup.push(async () => sweep.stop());
    const disk = watchDataDirDisk({ dataDir: host.paths.dataDir, lowFreeBytes: config.diskLowFreeBytes, metrics: host.metrics, logger: host.logger });
    cleanup.push(async () => disk.stop());

    const seeded = await seedSite(stores, { admin: manifest.admin, hosts: manifest.hosts, proxyPort: config.proxyPort });
    if (seeded.length > 0) await audit.record({ actor: { service: 'repository' }, action: 'site.seed', outcome: 'success', details: { created: seeded } });

    const cache = new SiteCache(stores);
    const rules = new RuleEngineCache(cache, host.logger);
    const users = new ActingUsers(stores, cache, audit);
    const core: RepositoryCore = {
      manifest, provider: database.provider, auditDir: host.paths.audit, dataDir: host.paths.dataDir, stores, cache, audit, rules, users,
      access: new AccessFactory(users, rules, audit),
      entities: new EntityService(cache, stores, audit),
      settings: { taskStartWaitMs: config.taskStartWaitMs, exportTicketMs: config.exportTicketMs },
    };
    host.server.addService(RepositoryService.service, repositoryHandlers(core));
    host.setChecks(async () => ({
      database: await stores.serverNodes.count().then(() => 'ok', () => 'unavailable'),
      audit: audit.status,
    }));
    return {
      host,
      core,
      /** Releases everything without having listened (tests, failed starts). */
      close: closeAll,
      async listen(port = config.port) {
        const bound = await host.server.listen(config.host, port);
        // Runs once the repository serves: the engine asks it for the plans of the task reloads.
        if (config.scheduler) {
          const scheduler = startTaskScheduler(config, host, core);
          cleanup.push(() => scheduler.stop());
        }
        const metricsPort = await host.startMetrics(config.host, config.metricsPort);
        return {
          port: bound,
          metricsPort,
          stop: async (deadlineMs: number) => {
            await host.server.shutdown(deadlineMs);
            await closeAll();
          },
        };
      },
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
