import type { LoadedConfig } from '@trustzone/config';
import { createServiceHost } from '@trustzone/service-host';
import type { engineConfigSpec } from './config';

/** Builds the engine from validated config; `listen()` binds it (tests run it in-process on port 0). */
export async function createEngine({ config, warnings }: LoadedConfig<typeof engineConfigSpec>) {
  const host = createServiceHost({ service: 'engine', dataDir: config.dataDir, logLevel: config.logLevel, logStdout: config.logStdout, warnings });
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
