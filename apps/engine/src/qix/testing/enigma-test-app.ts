import { runScript } from '@trustzone/load-script';
import { enigmaSession, type EnigmaSession } from './enigma-client';
import { type QixTestServer, startQixTestServer } from './qix-test-server';

/** Load-script lines of an inline table: `LOAD * INLINE [`, the header, the rows, `];`. */
export const inlineTable = (header: string, rows: readonly string[]): string[] => ['LOAD * INLINE [', header, ...rows, '];'];

/**
 * One app built by a load script on a QIX test server, and the enigma.js sessions a suite opens on
 * it: `start` in beforeAll, `close` in afterAll (every session, then the server).
 */
export function enigmaTestApp(app: { appId: string; title: string; script: string }, options?: Parameters<typeof startQixTestServer>[1]) {
  let server: QixTestServer | undefined;
  const sessions: EnigmaSession[] = [];
  return {
    get server(): QixTestServer {
      if (!server) throw new Error('enigmaTestApp: start() first');
      return server;
    },
    async start(): Promise<void> {
      server = await startQixTestServer([{ appId: app.appId, title: app.title, load: await runScript(app.script) }], options);
    },
    /** A new session as `user` (`DIR\\id`) with the app open, typed as the suite's doc interface. */
    async open<D>(user: string): Promise<D> {
      const s = enigmaSession(this.server.url(app.appId), user);
      sessions.push(s);
      return (await (await s.open()).openDoc(app.appId)) as unknown as D;
    },
    async close(): Promise<void> {
      for (const s of sessions) await s.close().catch(() => undefined);
      await server?.close();
    },
  };
}
