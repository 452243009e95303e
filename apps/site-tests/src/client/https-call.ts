import { request } from 'node:https';

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** The CA the server's certificate must chain to (client-facing CA, or the site CA on the proxy API). */
  ca: string;
  /** A client certificate (the proxy API port). */
  cert?: string;
  key?: string;
  timeoutMs?: number;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: unknown;
  text: string;
}

const MAX_BODY = 1024 * 1024;

/** One HTTPS request by URL (host names resolve through this namespace's /etc/hosts). */
export function call(url: string, o: CallOptions): Promise<CallResult> {
  const body = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: o.method ?? 'GET',
      ca: o.ca,
      ...(o.cert ? { cert: o.cert, key: o.key } : {}),
      timeout: o.timeoutMs ?? 10_000,
      headers: { ...(body !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } : {}), ...o.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json, text: text.slice(0, 2000) });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timed out: ${url}`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The `name=value` of the first non-empty cookie a response sets. */
export function cookieOf(r: CallResult): string | undefined {
  const set = r.headers['set-cookie'];
  const list = Array.isArray(set) ? set : set ? [set] : [];
  return list.map((c) => c.split(';')[0] ?? '').find((c) => c.includes('=') && !c.endsWith('='));
}
