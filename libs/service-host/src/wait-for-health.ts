import { request } from 'node:https';

export interface SiteHealth {
  status: string;
  services: Record<string, string>;
}

/**
 * One GET /health: on the client-facing listener trusting only the site's client-facing CA, or on
 * the proxy API port (the per-engine view) with the site CA and an integration certificate.
 */
export function fetchHealth(url: string, ca: string, timeoutMs = 3_000, clientCert?: { cert: string; key: string }): Promise<{ statusCode: number; body: SiteHealth }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: timeoutMs, ...clientCert }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => {
        if (text.length < 64 * 1024) text += c;
      });
      res.on('end', () => {
        try {
          resolve({ statusCode: res.statusCode ?? 0, body: JSON.parse(text) as SiteHealth });
        } catch {
          reject(new Error(`unexpected /health answer (${res.statusCode})`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Polls /health until every service is ok, or throws naming what is still failing. */
export async function waitForHealthy(url: string, ca: string, deadlineMs: number): Promise<SiteHealth> {
  const end = Date.now() + deadlineMs;
  let last = 'no answer';
  while (Date.now() < end) {
    try {
      const { statusCode, body } = await fetchHealth(url, ca);
      if (statusCode === 200 && body.status === 'ok') return body;
      last = Object.entries(body.services ?? {}).filter(([, v]) => v !== 'ok').map(([k, v]) => `${k}: ${v}`).join(', ') || `HTTP ${statusCode}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the site did not become healthy (${last})`);
}
