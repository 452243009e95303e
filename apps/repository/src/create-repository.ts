import type { LoadedConfig } from '@trustzone/config';
import { createServiceHost } from '@trustzone/service-host';
import type { repositoryConfigSpec } from './config';

/** Builds the repository from validated config; `listen()` binds it (tests run it in-process on port 0). */
export async function createRepository({ config, warnings }: LoadedConfig<typeof repositoryConfigSpec>) {
  const host = createServiceHost({ service: 'repository', dataDir: config.dataDir, logLevel: config.logLevel, logStdout: config.logStdout, warnings });
  return {
    host,
    async listen(port = config.port) {
      const bound = await host.server.listen(config.host, port);
      return {
        port: bound,
        stop: async (deadlineMs: number) => {
          await host.server.shutdown(deadlineMs);
          host.close();
        },
      };
    },
  };
}
