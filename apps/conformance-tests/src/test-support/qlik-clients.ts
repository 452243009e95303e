import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { ConformanceSite } from './conformance-site';

/**
 * The third-party clients, unmodified, configured as their READMEs show: host, port, certificates
 * and the user to act as — nothing else. Both talk to the proxy API port (4243 in a real site; Qlik
 * clients default to the repository's 4242, where trustzone has its gRPC listener).
 */
const require = createRequire(import.meta.url);

export interface QrsInteractResult {
  statusCode: number;
  body: unknown;
}
export interface QrsInteract {
  Get(path: string): Promise<QrsInteractResult>;
  Post(path: string, body: unknown, sendType?: string): Promise<QrsInteractResult>;
  Put(path: string, body: unknown): Promise<QrsInteractResult>;
  Delete(path: string): Promise<QrsInteractResult>;
}

/** qrs-interact (eapowertools): `new qrsInteract({ hostname, portNumber, certificates, repoAccount })`. */
export function qrsInteract(s: ConformanceSite, user = 'UserDirectory=CORP;UserId=admin'): QrsInteract {
  const QrsInteractCtor = require('qrs-interact') as new (config: object) => QrsInteract;
  return new QrsInteractCtor({
    hostname: 'localhost',
    portNumber: s.site.ports.proxyApi,
    certificates: { certFile: s.certs.certFile, keyFile: s.certs.keyFile },
    repoAccount: user,
  });
}

// qlik-repo-api ships as an ES module only.
type RepoApiModule = { QlikRepoApi: { client: new (config: object) => QlikRepoApi } };
export interface QlikRepoApi {
  apps: {
    get(arg: { id: string }): Promise<{ details: { id: string; name: string }; export(arg?: { token?: string; skipData?: boolean }): Promise<{ file: NodeJS.ReadableStream; exportToken: string; id: string; name: string }>; switch(arg: { targetAppId: string }): Promise<number>; remove(): Promise<number> }>;
    upload(arg: { name: string; file: Buffer }): Promise<{ details: { id: string; name: string } }>;
    getFilter(arg: { filter: string }): Promise<{ details: { id: string; name: string } }[]>;
  };
  tasks: { get(arg: { id: string }): Promise<{ details: { id: string; name: string; taskType: number }; start(): Promise<number>; startSynchronous(): Promise<{ status: number; data: { value: string } }> }> };
  reloadTasks: { count(arg: { filter?: string }): Promise<number> };
  schemaTriggers: { create(arg: Record<string, unknown>): Promise<{ details: Record<string, unknown> }> };
  compositeTriggers: { create(arg: Record<string, unknown>): Promise<{ details: Record<string, unknown> }> };
  executionResults: { getFilter(arg: { filter: string }): Promise<{ details: Record<string, unknown> }[]> };
  users: { getFilter(arg: { filter: string }): Promise<{ details: { id: string; userId: string; userDirectory: string } }[]> };
}

/** qlik-repo-api (informatiqal): `new QlikRepoApi.client({ host, port, httpsAgent: { cert, key }, authentication: { user_dir, user_name } })`. */
export async function qlikRepoApi(s: ConformanceSite, userDir = 'CORP', userName = 'admin'): Promise<QlikRepoApi> {
  const mod = (await import('qlik-repo-api')) as unknown as RepoApiModule;
  return new mod.QlikRepoApi.client({
    host: 'localhost',
    port: s.site.ports.proxyApi,
    // The README's agent, verifying the proxy API's certificate against the site CA instead of ignoring it.
    httpsAgent: new Agent({ ca: readFileSync(join(s.site.dataDir, 'certs', 'root.pem')), cert: s.certs.cert, key: s.certs.key }),
    authentication: { user_dir: userDir, user_name: userName },
  });
}
