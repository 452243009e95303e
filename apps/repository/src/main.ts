import { failStartup, runService, type LoadedConfig } from '@trustzone/config';
import { loadRepositoryConfig, type repositoryConfigSpec } from './config';
import { createRepository } from './create-repository';
import { seedOnly } from './seed/seed-only';

let loaded: LoadedConfig<typeof repositoryConfigSpec>;
try {
  loaded = loadRepositoryConfig();
} catch (e) {
  failStartup('repository', e);
}
if (process.argv.includes('--seed-only') || loaded.config.seedOnly) {
  // `tz init` runs this: migrate + seed what is missing + exit (one result line, or one error line and exit 1).
  seedOnly(loaded.config).then(
    (r) => process.stdout.write(`${JSON.stringify({ level: 'info', service: 'repository', message: 'database seeded', migrations: r.applied.length, created: r.created })}\n`),
    (e: unknown) => failStartup('repository', e),
  );
} else {
  void runService('repository', async () => createRepository(loaded).then((r) => r.listen()));
}
