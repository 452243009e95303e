import { randomBytes } from 'node:crypto';
import { request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { identityAllowList, openTrustStore, sitePaths } from '@trustzone/trust';
import { CliError, CliErrorCode } from './cli.error';

export interface ProxyApiTarget {
  dataDir: string;
  /** https://host:port of the proxy API listener. */
  url: string;
  /** `DIRECTORY\userid` the call acts as (X-Qlik-User). */
  user: string;
}

/**
 * Calls the proxy API port as the CLI's integration identity (certs/cli.pem), like any portal would:
 * mutual TLS, the server must be this site's proxy, an xrfkey pair and X-Qlik-User naming the user.
 */
export async function proxyApiRequest(t: ProxyApiTarget, method: string, path: string, options: { body?: unknown; accept?: string } = {}): Promise<IncomingMessage> {
  const [dir, id] = t.user.split('\\');
  if (!dir || !id) throw new CliError(CliErrorCode.Usage, `--as must be DIRECTORY\\userid, got '${t.user}'`);
  const store = openTrustStore({ certsDir: sitePaths(t.dataDir).certs, name: 'cli', watch: false });
  const tls = store.clientTlsOptions({ expect: identityAllowList(['proxy']) });
  store.close();
  const xrf = randomBytes(12).toString('base64').replace(/[^0-9a-zA-Z]/g, 'x').slice(0, 16);
  const url = new URL(`${path}${path.includes('?') ? '&' : '?'}xrfkey=${xrf}`, t.url);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const opts: RequestOptions = {
    ...tls,
    method,
    headers: {
      'X-Qlik-Xrfkey': xrf,
      'X-Qlik-User': `UserDirectory=${dir}; UserId=${id}`,
      Accept: options.accept ?? 'application/json',
      ...(body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}),
    },
  };
  return new Promise((resolve, reject) => {
    const req = request(url, opts, resolve);
    req.on('error', (e) => reject(new CliError(CliErrorCode.Usage, `cannot reach the proxy API at ${t.url}: ${e.message}`)));
    req.end(body);
  });
}

export async function readAll(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return text;
}
