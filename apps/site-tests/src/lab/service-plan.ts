import { buildTargetOf, dependsOnOf, environmentOf, healthTestOf, networksOf, type ComposeFile, type ComposeService, type DependsOn } from '../compose/compose-file';
import { effective, effectiveEnv, execForm, stageChain, stageNamed, type Dockerfile } from '../dockerfile/dockerfile-parser';
import { SiteTestError, SiteTestErrorCode } from '../site-tests.error';
import { mountTable, viewPath, type Mount } from './mount-table';

export type ServiceKind = 'built' | 'postgres' | 'command';

/** One compose service as a host process: what a container runtime would have done, spelled out. */
export interface ServicePlan {
  name: string;
  kind: ServiceKind;
  networks: string[];
  /** The command (container paths rewritten to the lab's directories; `node` is this Node). */
  argv: string[];
  env: Record<string, string>;
  /** The image's WORKDIR: /app is this checkout (dist/, node_modules/, prisma/ are where the image has them). */
  cwd: string;
  /** Numeric ids, or the host's `postgres` account (initdb needs a named user). */
  user: { uid: number; gid: number } | 'postgres';
  mounts: Mount[];
  sysctls: Record<string, string>;
  noCoreDumps: boolean;
  health: { argv: string[]; timeoutMs: number } | undefined;
  dependsOn: DependsOn;
  oneShot: boolean;
  stopSignal: NodeJS.Signals;
}

export interface PlanContext {
  compose: ComposeFile;
  dockerfile: Dockerfile;
  /** The lab's directory: volumes/, tmpfs/, secrets/ live under it. */
  root: string;
  repoRoot: string;
}

const IMAGE_KINDS: [RegExp, ServiceKind][] = [
  [/^postgres:/, 'postgres'],
  [/^redis:/, 'command'],
];

export function planService(name: string, ctx: PlanContext): ServicePlan {
  const s = ctx.compose.services[name];
  if (!s) throw new SiteTestError(SiteTestErrorCode.ComposeInvalid, `no service ${name}`);
  const target = buildTargetOf(s);
  const kind: ServiceKind | undefined = target ? 'built' : IMAGE_KINDS.find(([re]) => re.test(s.image ?? ''))?.[1];
  if (!kind) throw new SiteTestError(SiteTestErrorCode.HostUnsupported, `${name}: the lab cannot run image ${s.image ?? '(none)'}`);
  const chain = target ? stageChain(ctx.dockerfile, stageNamed(ctx.dockerfile, target)).chain : [];
  const mounts = mountTable(name, s, ctx.compose, ctx.root, kind === 'built');
  const fix = (v: string) => viewPath(v, mounts);
  const env = Object.fromEntries(Object.entries({ ...effectiveEnv(chain), ...environmentOf(s) }).map(([k, v]) => [k, fix(v)]));
  const cmd = s.command ?? (chain.length ? execForm(effective(chain, 'CMD')?.args ?? '[]') : undefined);
  const argv = (typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : (cmd ?? [])).map(fix);
  if (kind !== 'postgres' && argv.length === 0) throw new SiteTestError(SiteTestErrorCode.ComposeInvalid, `${name}: no command`);
  return {
    name,
    kind,
    networks: networksOf(s),
    argv: localNode(argv),
    env,
    cwd: kind === 'built' ? ctx.repoRoot : workdirOf(s.image ?? '', mounts, ctx.root),
    user: kind === 'postgres' ? 'postgres' : userOf(name, s.user ?? effective(chain, 'USER')?.args),
    mounts,
    sysctls: sysctlsOf(s),
    noCoreDumps: s.ulimits?.['core'] === 0,
    health: healthOf(s, chain.length ? effective(chain, 'HEALTHCHECK')?.args : undefined, fix),
    dependsOn: dependsOnOf(s),
    oneShot: s.restart === 'no',
    // The postgres image stops on SIGINT (fast shutdown); SIGTERM would wait for every client.
    stopSignal: kind === 'postgres' ? 'SIGINT' : 'SIGTERM',
  };
}

/** The official images' WORKDIR (redis: /data), where the lab maps it; otherwise the lab directory. */
function workdirOf(image: string, mounts: Mount[], root: string): string {
  const dir = /^redis:/.test(image) ? viewPath('/data', mounts) : root;
  return dir.startsWith('/data') ? root : dir;
}

function userOf(name: string, user: string | undefined): { uid: number; gid: number } {
  const m = /^(\d+)(?::(\d+))?$/.exec(user ?? '');
  if (!m) throw new SiteTestError(SiteTestErrorCode.HostUnsupported, `${name}: user "${user ?? ''}" is not numeric uid[:gid]`);
  const uid = Number(m[1]);
  return { uid, gid: Number(m[2] ?? m[1]) };
}

function sysctlsOf(s: ComposeService): Record<string, string> {
  const raw = s.sysctls ?? {};
  const pairs = Array.isArray(raw) ? raw.map((x) => x.split('=', 2) as [string, string]) : Object.entries(raw).map(([k, v]) => [k, String(v)] as [string, string]);
  return Object.fromEntries(pairs);
}

function healthOf(s: ComposeService, imageHealth: string | undefined, fix: (v: string) => string): ServicePlan['health'] {
  let test = healthTestOf(s);
  if (!test && imageHealth && !/^NONE$/i.test(imageHealth.trim())) {
    test = ['CMD', ...execForm(imageHealth.replace(/^(--\S+\s+)*CMD\s+/, ''))];
  }
  if (!test || test[0] === 'NONE') return undefined;
  const argv = test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : test.slice(1);
  return { argv: localNode(argv.map(fix)), timeoutMs: durationMs(s.healthcheck?.timeout) ?? 30_000 };
}

/** `node` in a command is the Node running these tests (the image's node is on its PATH). */
function localNode(argv: string[]): string[] {
  return argv[0] === 'node' ? [process.execPath, ...argv.slice(1)] : argv;
}

export function durationMs(d: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(d ?? '');
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
}

