import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';

const require = createRequire(__filename);

interface EnigmaDoc {
  id: string;
  evaluate(expression: string): Promise<string>;
}
interface EnigmaGlobal {
  engineVersion(): Promise<{ qComponentVersion: string }>;
  openDoc(appId: string): Promise<EnigmaDoc>;
}
interface EnigmaSession {
  open(): Promise<EnigmaGlobal>;
  close(): Promise<void>;
}
interface EnigmaModule {
  create(config: { schema: object; url: string; createSocket: (url: string) => unknown }): EnigmaSession;
}

/** The newest QIX schema enigma.js ships. */
function newestSchema(): object {
  const dir = join(dirname(require.resolve('enigma.js/package.json')), 'schemas');
  const key = (v: string) => v.replace(/\.json$/, '').split('.').map(Number);
  const newest = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
      return 0;
    })
    .at(-1);
  return require(join(dir, newest ?? '')) as object;
}

export interface QixOutcome {
  ok: boolean;
  engineVersion?: string;
  /** What `Evaluate(expression)` gave in the opened doc, when a doc was asked for. */
  evaluated?: string;
  error?: string;
}

/**
 * A browser's QIX session through the proxy: `wss://<proxy>/app/<appId>?qlik-csrf-token=…` with the
 * session cookie and an Origin, then EngineVersion (and OpenDoc + Evaluate when `evaluate` is given).
 */
export async function qix(o: { proxyUrl: string; appId: string; cookie: string; csrfToken: string; origin: string; ca: string; evaluate?: string }): Promise<QixOutcome> {
  const enigma = require('enigma.js') as EnigmaModule;
  const url = `${o.proxyUrl.replace(/^https/, 'wss')}/app/${o.appId}?qlik-csrf-token=${encodeURIComponent(o.csrfToken)}`;
  // enigma.js reports a refused upgrade as a bare close; the socket's own error says what the proxy answered.
  let socketError = '';
  const session = enigma.create({
    schema: newestSchema(),
    url,
    createSocket: (u) => {
      const ws = new WebSocket(u, { ca: o.ca, headers: { Origin: o.origin, Cookie: o.cookie }, handshakeTimeout: 10_000 });
      ws.on('error', (e) => void (socketError ||= e.message));
      // A socket the proxy accepted and then closed (no engine): its close code and reason say why.
      ws.on('close', (code: number, reason: Buffer) => void (socketError ||= `closed ${code} ${reason.toString()}`.trim()));
      return ws;
    },
  });
  try {
    const global = await session.open();
    const version = await global.engineVersion();
    const out: QixOutcome = { ok: true, engineVersion: version.qComponentVersion };
    if (o.evaluate !== undefined) out.evaluated = await (await global.openDoc(o.appId)).evaluate(o.evaluate);
    return out;
  } catch (e) {
    const what = e instanceof Error ? e.message : typeof e === 'object' && e !== null ? JSON.stringify(e, Object.getOwnPropertyNames(e)) : String(e);
    return { ok: false, error: [socketError, what].filter(Boolean).join('; ') };
  } finally {
    await session.close().catch(() => undefined);
  }
}
