import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { activeServices, dependsOnOf, type ComposeFile } from '../compose/compose-file';
import type { ComposeVars } from '../compose/compose-interpolate';
import { loadCompose, loadDockerfile, REPO_ROOT } from '../site-files';
import { SiteTestError, SiteTestErrorCode } from '../site-tests.error';
import { must, type CommandResult } from './host-command';
import { NetnsLab, removeStaleLabs } from './netns-lab';
import { postgresAccount, postgresBinDir, preparePostgres } from './postgres-node';
import { runConfined, ServiceProcess, type Confinement } from './service-process';
import { planService, type ServicePlan } from './service-plan';
import { rewritePath, viewPath } from './mount-table';

const SETTLE_DEADLINE_MS = 60_000;
const HEALTH_POLL_MS = 300;

interface Running {
  plan: ServicePlan;
  proc: ServiceProcess;
}

/**
 * docker-compose.yml brought up as processes, one network namespace per service, one bridge per
 * compose network (see NetnsLab). `up` behaves like `docker compose up`: services start in
 * depends_on order, each waits until its dependencies are healthy (their compose healthcheck, run in
 * their namespace) or, for one-shots, completed; a service whose configuration changed is restarted.
 */
export class SiteLab {
  readonly net = new NetnsLab();
  readonly root: string;
  private readonly services = new Map<string, Running>();
  private readonly addresses = new Map<string, Map<string, string>>();
  compose: ComposeFile = loadCompose();

  private constructor() {
    this.root = mkdtempSync(join(tmpdir(), `${this.net.id}-`));
    chmodSync(this.root, 0o755); // the service users traverse it, as they traverse / in a container
  }

  /** A fresh lab (leftovers of crashed runs removed first) with the compose secrets made by docker/make-secrets.sh. */
  static open(): SiteLab {
    removeStaleLabs();
    const lab = new SiteLab();
    try {
      lab.net.create();
      const serviceUid = /^(\d+)/.exec(lab.compose.services['repository']?.user ?? '')?.[1] ?? '10001';
      must('sh', [join(REPO_ROOT, 'docker', 'make-secrets.sh'), join(lab.root, 'secrets')], { env: { ...process.env, TZ_SERVICE_UID: serviceUid, TZ_POSTGRES_UID: String(postgresAccount().uid) } });
      // Compose bind-mounts each secret file on its own; the folder holding them is not part of what a
      // container sees, so let the service users through it (the files stay 0400, one owner each).
      chmodSync(join(lab.root, 'secrets'), 0o711);
    } catch (e) {
      lab.destroy();
      throw e;
    }
    return lab;
  }

  async up(options: { vars?: ComposeVars; profiles?: string[] } = {}): Promise<void> {
    this.compose = loadCompose(options.vars ?? {});
    const active = activeServices(this.compose, options.profiles ?? []);
    for (const n of Object.keys(this.compose.networks ?? {})) this.net.addNetwork(n);
    const plans = new Map(active.map((name) => [name, planService(name, { compose: this.compose, dockerfile: loadDockerfile(), root: this.root, repoRoot: REPO_ROOT })]));
    for (const plan of plans.values()) this.attach(plan.name, plan.networks);
    this.writeHostsFiles();
    for (const name of startOrder(this.compose, active)) {
      const plan = plans.get(name) as ServicePlan;
      const current = this.services.get(name);
      if (current && JSON.stringify(current.plan) === JSON.stringify(plan)) continue;
      if (current) await this.stop(name);
      this.start(plan);
      await this.settle(name);
    }
  }

  address(host: string, network: string): string {
    const a = this.addresses.get(host)?.get(network);
    if (!a) throw new SiteTestError(SiteTestErrorCode.NetworkSetup, `${host} is not on ${network}`);
    return a;
  }

  process(name: string): ServiceProcess | undefined {
    return this.services.get(name)?.proc;
  }

  /** `docker compose exec <service> …`: a command in the service's namespace, as its user, with its environment and mounts. */
  exec(name: string, argv: readonly string[], timeoutMs = 30_000): Promise<CommandResult> {
    const r = this.services.get(name);
    if (!r) throw new SiteTestError(SiteTestErrorCode.ServiceFailed, `${name} is not up`);
    const fixed = argv.map((a) => viewPath(a, r.plan.mounts));
    return runConfined(this.confinement(r.plan), fixed[0] === 'node' ? [process.execPath, ...fixed.slice(1)] : fixed, { env: this.envOf(r.plan), cwd: r.plan.cwd, timeoutMs });
  }

  /** A container path of a service (e.g. /data) as the lab's shared host path (what the test process reads). */
  hostPath(name: string, containerPath: string): string {
    const r = this.services.get(name);
    return r ? rewritePath(containerPath, r.plan.mounts) : containerPath;
  }

  /** `docker compose stop <service>`: its stop signal, SIGKILL after the grace period. */
  async stop(name: string): Promise<void> {
    const r = this.services.get(name);
    if (!r) return;
    this.services.delete(name);
    await r.proc.stop(r.plan.stopSignal, 10_000);
  }

  /** A machine outside the site: on `networks` only. `knows` maps more names to addresses (what an attacker may have learned). */
  addClient(name: string, networks: readonly string[], knows: readonly (readonly [string, string])[] = []): void {
    this.attach(name, networks);
    const reachable = [...this.services.keys()].flatMap((s) => networks.filter((n) => this.addresses.get(s)?.has(n)).slice(0, 1).map((n) => [this.address(s, n), s] as const));
    this.net.writeHosts(name, [...reachable, ...knows]);
  }

  async destroy(): Promise<void> {
    for (const name of [...this.services.keys()].reverse()) {
      await this.stop(name).catch(() => undefined);
    }
    this.net.destroy();
    rmSync(this.root, { recursive: true, force: true });
  }

  private attach(host: string, networks: readonly string[]): void {
    this.net.addHost(host);
    const mine = this.addresses.get(host) ?? new Map<string, string>();
    this.addresses.set(host, mine);
    for (const n of networks) if (!mine.has(n)) mine.set(n, this.net.attach(host, n));
  }

  /** Compose's DNS: a service resolves the services it shares a network with, at their address on that network. */
  private writeHostsFiles(): void {
    const hosts = [...this.addresses.keys()].filter((h) => h in this.compose.services);
    for (const h of hosts) {
      const mine = [...(this.addresses.get(h)?.keys() ?? [])];
      const entries = hosts.flatMap((o) => mine.filter((n) => this.addresses.get(o)?.has(n)).slice(0, 1).map((n) => [this.address(o, n), o] as const));
      this.net.writeHosts(h, entries);
    }
  }

  /** The service's own view of the file system: where `/data/…` goes for it. */
  viewPath(name: string, containerPath: string): string {
    const r = this.services.get(name);
    return r ? viewPath(containerPath, r.plan.mounts) : containerPath;
  }

  private confinement(plan: ServicePlan): Confinement {
    const user = plan.user === 'postgres' ? postgresAccount() : plan.user;
    const volumes = plan.mounts.filter((m) => m.kind === 'volume' && m.view !== undefined).sort((a, b) => a.target.length - b.target.length);
    return {
      netns: this.net.exec(plan.name),
      ...user,
      binds: volumes.map((m) => ({ host: m.host, view: m.view as string, readOnly: m.readOnly === true })),
      hide: volumes.length > 0 ? [join(this.root, 'volumes')] : [],
      noCoreDumps: plan.noCoreDumps,
    };
  }

  private envOf(plan: ServicePlan): NodeJS.ProcessEnv {
    const path = plan.kind === 'postgres' ? `${postgresBinDir()}:${process.env['PATH'] ?? ''}` : (process.env['PATH'] ?? '');
    return { PATH: path, HOME: '/nonexistent', ...plan.env };
  }

  private start(plan: ServicePlan): void {
    const owner = plan.user === 'postgres' ? postgresAccount() : plan.user;
    for (const m of plan.mounts) {
      if (m.kind === 'secret' || existsSync(m.host)) continue;
      if (m.subpath) throw new SiteTestError(SiteTestErrorCode.ServiceFailed, `${plan.name}: ${m.host} does not exist; Docker refuses to start a container whose volume subpath is missing`);
      // A fresh volume belongs to the service user (the image's mount point is owned by it); the
      // folders above it stand for the container's /, which every user may traverse.
      mkdirSync(dirname(m.host), { recursive: true, mode: 0o755 });
      mkdirSync(m.host, { mode: m.mode ?? 0o700 });
      chmodSync(m.host, m.mode ?? 0o700);
      // The image's postgres user (uid 999 in compose) is the host's postgres account here.
      const who = plan.user === 'postgres' ? owner : (m.owner ?? owner);
      chownSync(m.host, who.uid, who.gid);
    }
    for (const [k, v] of Object.entries(plan.sysctls)) this.net.sysctl(plan.name, k, v);
    const pgdata = plan.env['PGDATA'];
    const argv = plan.kind === 'postgres' && pgdata && !existsSync(join(pgdata, 'PG_VERSION')) ? preparePostgres(plan) : plan.argv;
    const proc = new ServiceProcess(plan.name, this.confinement(plan), argv, { env: this.envOf(plan), cwd: plan.cwd });
    this.services.set(plan.name, { plan, proc });
  }

  /** Waits until the service is what its dependents wait for: completed (one-shot) or healthy. */
  private async settle(name: string): Promise<void> {
    const { plan, proc } = this.services.get(name) as Running;
    const fail = (why: string) => new SiteTestError(SiteTestErrorCode.ServiceFailed, `${name} ${why}\n--- ${name} output ---\n${proc.output()}`);
    if (plan.oneShot) {
      const code = await Promise.race([proc.exited, sleep(SETTLE_DEADLINE_MS).then(() => 'timeout' as const)]);
      if (code !== 0) throw fail(code === 'timeout' ? 'did not complete in time' : `exited with ${code}`);
      return;
    }
    if (!plan.health) throw fail('has no healthcheck: nothing could wait for it');
    const end = Date.now() + SETTLE_DEADLINE_MS;
    let last = '';
    while (Date.now() < end) {
      if (!proc.running) throw fail(`exited (${proc.child.exitCode ?? proc.child.signalCode}) before it was healthy`);
      const r = await runConfined(this.confinement(plan), plan.health.argv, { env: this.envOf(plan), cwd: plan.cwd, timeoutMs: plan.health.timeoutMs });
      if (r.status === 0) return;
      last = `${r.stdout}${r.stderr}`.trim().slice(-400);
      await sleep(HEALTH_POLL_MS);
    }
    throw fail(`was not healthy within ${SETTLE_DEADLINE_MS} ms (last healthcheck: ${last})`);
  }
}

/** depends_on order; a dependency outside the active profiles must be `required: false`. */
export function startOrder(compose: ComposeFile, active: readonly string[]): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (order.includes(name)) return;
    if (visiting.has(name)) throw new SiteTestError(SiteTestErrorCode.ComposeInvalid, `depends_on cycle through ${name}`);
    visiting.add(name);
    for (const [dep, d] of Object.entries(dependsOnOf(compose.services[name] ?? {}))) {
      if (active.includes(dep)) visit(dep);
      else if (d.required) throw new SiteTestError(SiteTestErrorCode.ComposeInvalid, `${name} requires ${dep}, which is not active`);
    }
    visiting.delete(name);
    order.push(name);
  };
  for (const name of active) visit(name);
  return order;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
