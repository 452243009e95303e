import { resolve } from 'node:path';
import { appAuthKeyPath, createAppStore, loadAppAuthKey, openKeyStore } from '@trustzone/app-store';
import type { LoadedConfig } from '@trustzone/config';
import { EngineService, RepositoryService, TrustZoneClient, type AssertedUser, type RepositoryDefinition } from '@trustzone/contracts';
import { createServiceHost } from '@trustzone/service-host';
import { identityAllowList } from '@trustzone/trust';
import { AppLibrary } from './apps/app-library';
import type { engineConfigSpec } from './config';
import { engineHandlers } from './grpc/engine-handlers';
import { qixStreamHandler } from './grpc/qix-stream';
import { AppObjectWatchers, CUBE_CACHE, SharedSelections, type AppFacts } from './qix';
import { objectParents, repositoryObjectAccess } from './grpc/repository-object-access';
import { existingObjectRows } from './grpc/existing-object-rows';
import { QixStreamWatch } from './grpc/qix-stream-watch';
import { AppTitles } from './grpc/app-titles';
import { refusedCallAuditor } from './grpc/refused-call-audit';
import { ReloadAdmission } from './reload-service/reload-admission';
import { ReloadService } from './reload-service/reload-service';
import { AppScriptService } from './scripts/app-script-service';
import { siteFromTrust } from './exchange/site-from-trust';

/** Where the bundled reload worker sits: next to the engine bundle (dist/apps/engine/). */
function defaultWorkerPath(): string {
  return resolve(__dirname, process.env['TZ_BUNDLED'] ? '.' : '../../../dist/apps/engine', 'reload-worker.cjs');
}

/** Builds the engine from validated config; `listen()` binds it (tests run it in-process on port 0). */
export async function createEngine({ config, warnings }: LoadedConfig<typeof engineConfigSpec>) {
  const host = createServiceHost({ service: 'engine', dataDir: config.dataDir, logLevel: config.logLevel, logStdout: config.logStdout, warnings });
  const log = host.logger;
  const keysDir = config.keysDir ?? host.paths.keys;
  // Without it no app file can be authenticated: refuse to start rather than serve unauthenticated files.
  const authKey = await loadAppAuthKey(config.appAuthKeyFile ?? appAuthKeyPath(keysDir));
  const keyStore = await openKeyStore(keysDir);
  keyStore.on('change', () => log.info('encryption key store reloaded', { encryption: keyStore.encryptionStatus() }));
  keyStore.on('reload-failed', (e: unknown) => log.warn('encryption key store reload failed; keeping the previous keys', { error: e instanceof Error ? e.message : String(e) }));
  const status = keyStore.encryptionStatus();
  if (!status.enabled) log.warn('encryption at rest is OFF: apps are only checksummed (add a key with `tz keys add`)', { reason: status.reason });

  const store = await createAppStore({ appsDir: config.appsDir ?? host.paths.apps, keyStore, aesGcm: config.aesGcm, authKey });
  if (store.aesGcm.name === 'native') log.info('app files are encrypted and decrypted by the native AES-GCM addon (no per-step allocations)');
  else if (config.aesGcm === 'auto') log.warn('native AES-GCM unavailable: encrypted app saves and loads use node:crypto (slower)', { reason: store.aesGcm.reason });
  const library = new AppLibrary(store, config.maxOpenApps);
  CUBE_CACHE.resize(config.cubeCacheMb * 1024 * 1024);
  if (config.cubeCacheMb === 0) log.info('cube cache disabled (TZ_ENGINE_CUBE_CACHE_MB=0): every hypercube call computes its cube');
  host.metrics.gauge('tz_engine_cube_cache_bytes', 'bytes of computed hypercubes kept (bounded by TZ_ENGINE_CUBE_CACHE_MB)', () => CUBE_CACHE.size);
  const repository = new TrustZoneClient<RepositoryDefinition>(RepositoryService, { address: config.repositoryAddress, tls: host.tls, expect: identityAllowList(['repository']), waitForReady: true });
  host.onRefused(refusedCallAuditor(repository, log.child({ component: 'guard' }), config.repositoryDeadlineMs));
  const admission = new ReloadAdmission({ concurrency: config.reloadConcurrency, queueLength: config.reloadQueueLength, perUser: config.reloadPerUser });
  host.metrics.gauge('tz_engine_reloads_running', 'reloads running on this engine', () => admission.stats.running);
  host.metrics.gauge('tz_engine_reloads_queued', 'reloads waiting for a slot on this engine', () => admission.stats.queued);
  const reloads = new ReloadService({
    repository,
    library,
    logger: log.child({ component: 'reload' }),
    workerPath: config.reloadWorker ?? defaultWorkerPath(),
    dataConnectionsDir: config.dataConnectionsDir ?? resolve(host.paths.dataDir, 'data'),
    timeoutMs: config.reloadTimeoutMs,
    maxOldSpaceMb: config.reloadMemoryMb,
    nice: config.reloadNice,
    deadlineMs: config.repositoryDeadlineMs,
    admission,
    files: { keyStore, authKey, lockDir: store.appsDir },
  });
  const scripts = new AppScriptService({ library, repository, logger: log.child({ component: 'script' }), deadlineMs: config.repositoryDeadlineMs });
  // A stream the repository cannot vouch for over three rounds (and the call deadline) is closed.
  const watch = new QixStreamWatch({ intervalMs: config.qixRecheckMs, maxUnverifiedMs: 3 * config.qixRecheckMs + config.repositoryDeadlineMs, callerCloseSpreadMs: config.qixCallerCloseSpreadMs,
    onCallerGone: (streams, spreadMs, reason) => log.warn('qix streams closing: the proxy certificate they were opened under is no longer valid', { streams, spreadMs, reason }),
  });
  host.metrics.gauge('tz_engine_qix_streams', 'open QIX streams on this engine (each re-checked every TZ_QIX_RECHECK_MS)', () => watch.size);
  // Qlik identities (/app/<id>/identity/<name>): bounded; past the bound a socket works unshared.
  const identities = new SharedSelections({ maxEntries: 10_000 });
  host.metrics.gauge('tz_engine_qix_identities', 'Qlik identities (shared selection states) held by this engine', () => identities.size);
  // Persisted objects under the security rules (issue 18 item 2): every object method asks the
  // repository (App.Object rows, AuthorizeAppObjects) for the session's user; localObjectAccess
  // stays the in-process semantics of the QIX test server.
  const objectAccess = (user: AssertedUser, facts: (appId: string) => Promise<AppFacts>) =>
    repositoryObjectAccess({ repository, deadlineMs: config.repositoryDeadlineMs, parents: objectParents((appId) => library.objects(appId)) }, user, facts);
  const qix = qixStreamHandler({ library, repository, logger: log.child({ component: 'qix' }), deadlineMs: config.repositoryDeadlineMs, appTitles: new AppTitles(), watch, identities, scripts: { service: scripts, reloads }, objectAccess, objectWatchers: new AppObjectWatchers(), existingRows: existingObjectRows({ library, repository, deadlineMs: config.repositoryDeadlineMs, logger: log.child({ component: 'objects' }) }) });
  const exchange = {
    library, store, keyStore, repository, logger: log.child({ component: 'exchange' }), deadlineMs: config.repositoryDeadlineMs,
    site: () => siteFromTrust(host.store.current()),
    signer: () => host.store.current(),
    exchangeDir: config.appExchangeDir ?? resolve(host.paths.dataDir, 'exchange'),
    maxImportBytes: config.appImportMaxBytes,
  };
  host.server.addService(EngineService.service, engineHandlers({ library, store, reloads, repository, logger: log, deadlineMs: config.repositoryDeadlineMs, qix, exchange, scripts }));

  return {
    host,
    async listen(port = config.port) {
      const bound = await host.server.listen(config.host, port);
      const metricsPort = await host.startMetrics(config.host, config.metricsPort);
      return {
        port: bound,
        metricsPort,
        stop: async (deadlineMs: number) => {
          await host.server.shutdown(deadlineMs);
          watch.close();
          repository.close();
          keyStore.close();
          host.close();
        },
      };
    },
  };
}
