import { z } from 'zod';
import { bindHost, commonKeys, key, loadConfig, port, type ConfigOf } from '@trustzone/config';

export const proxyConfigSpec = {
  ...commonKeys,
  host: bindHost('TZ_PROXY_HOST', 'client-facing HTTPS listener'),
  port: key('TZ_PROXY_PORT', 'Port of the client-facing HTTPS listener (client-facing certificate).', port(8443)),
  apiHost: bindHost('TZ_PROXY_API_HOST', 'proxy API listener'),
  apiPort: key('TZ_PROXY_API_PORT', 'Port of the proxy API (mutual TLS, integration certificates of the site CA).', port(4243)),
  repositoryAddress: key('TZ_REPOSITORY_ADDRESS', 'host:port of the repository.', z.string().default('localhost:4242')),
  engineAddress: key('TZ_ENGINE_ADDRESS', 'host:port of the engine (default engine node).', z.string().default('localhost:4747')),
  redisUrl: key('TZ_REDIS_URL', 'Redis URL for sessions and tickets shared by several proxies; default: in memory.', z.string().optional()),
  clientFacingCert: key('TZ_CLIENT_FACING_CERT', 'Name of the client-facing cert/key pair in <data>/certs (<name>.pem, <name>_key.pem); an operator-supplied certificate goes there.', z.string().default('client-facing')),
  upstreamDeadlineMs: key('TZ_UPSTREAM_DEADLINE_MS', 'Deadline of a call to the repository or engine.', z.coerce.number().int().min(100).default(10_000)),
};

export type ProxyConfig = ConfigOf<typeof proxyConfigSpec>;

export function loadProxyConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(proxyConfigSpec, env);
}
