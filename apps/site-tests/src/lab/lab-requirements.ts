import { attempt } from './host-command';
import { postgresBinDir } from './postgres-node';

/** Host tools the lab runs: namespaces and links, the confinement, and the servers behind the official images. */
const TOOLS = ['ip', 'setpriv', 'runuser', 'mount', 'sysctl', 'pg_isready', 'redis-server', 'redis-cli'];

/** Why the multi-host test cannot run on this host, or undefined when it can. */
export function labUnsupportedReason(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'not running as root (namespaces, bridges and setpriv need it)';
  const missing = TOOLS.filter((t) => attempt('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length) return `missing host tools: ${missing.join(', ')}`;
  try {
    postgresBinDir();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (attempt('id', ['-u', 'postgres']).status !== 0) return 'no postgres account (initdb refuses to run as root)';
  return undefined;
}
