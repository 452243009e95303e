import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '@trustzone/config';
import { attempt, must } from './host-command';

/** Every namespace of a lab is `tzst-<pid of the test process>-<host>`; the pid tells a crashed run's leftovers from a live run. */
export const LAB_PREFIX = 'tzst-';
const NETNS_ETC = '/etc/netns';

interface Network {
  bridge: string;
  /** 10.231.<octet>.0/24 */
  octet: number;
}

/**
 * Hosts (network namespaces) on L2 networks (one Linux bridge per network, all inside a private
 * "switch" namespace, so nothing is added to the host's own network stack or firewall). Each host
 * gets one veth per network it joins, an address per network, its own /etc/hosts, an empty resolver
 * (unknown names fail at once) and IP forwarding off, as a container has.
 */
export class NetnsLab {
  readonly id = `${LAB_PREFIX}${process.pid}`;
  private readonly switchNs = `${this.id}-switch`;
  private readonly hosts = new Map<string, number>();
  private readonly networks = new Map<string, Network>();
  private readonly nics = new Map<string, number>();
  private created = false;

  ns(host: string): string {
    return `${this.id}-${host}`;
  }

  /** `ip netns exec <ns>`: the prefix of every command run on a host. */
  exec(host: string): string[] {
    return ['ip', 'netns', 'exec', this.ns(host)];
  }

  create(): void {
    this.created = true;
    must('ip', ['netns', 'add', this.switchNs]);
  }

  addNetwork(name: string): void {
    if (this.networks.has(name)) return;
    const octet = this.networks.size + 1;
    const bridge = `br${octet}`;
    must('ip', ['-n', this.switchNs, 'link', 'add', bridge, 'type', 'bridge']);
    must('ip', ['-n', this.switchNs, 'link', 'set', bridge, 'up']);
    this.networks.set(name, { bridge, octet });
  }

  addHost(host: string): void {
    if (this.hosts.has(host)) return;
    const ns = this.ns(host);
    must('ip', ['netns', 'add', ns]);
    this.hosts.set(host, this.hosts.size + 10);
    must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    this.sysctl(host, 'net.ipv4.ip_forward', '0');
    mkdirSync(join(NETNS_ETC, ns), { recursive: true });
    writeFileSync(join(NETNS_ETC, ns, 'resolv.conf'), '# no DNS inside the lab: names come from /etc/hosts only\noptions timeout:1 attempts:1\n');
  }

  /** Joins `host` to `network`; returns its address there. */
  attach(host: string, network: string): string {
    const net = this.networks.get(network);
    const index = this.hosts.get(host);
    if (!net || index === undefined) throw new Error(`attach ${host} to ${network}: unknown host or network`);
    const nic = this.nics.get(host) ?? 0;
    this.nics.set(host, nic + 1);
    const port = `h${index}n${net.octet}`;
    const address = `10.231.${net.octet}.${index}`;
    must('ip', ['-n', this.switchNs, 'link', 'add', port, 'type', 'veth', 'peer', 'name', `eth${nic}`, 'netns', this.ns(host)]);
    must('ip', ['-n', this.switchNs, 'link', 'set', port, 'master', net.bridge, 'up']);
    must('ip', ['-n', this.ns(host), 'addr', 'add', `${address}/24`, 'dev', `eth${nic}`]);
    must('ip', ['-n', this.ns(host), 'link', 'set', `eth${nic}`, 'up']);
    return address;
  }

  sysctl(host: string, key: string, value: string): void {
    must(this.exec(host)[0] as string, [...this.exec(host).slice(1), 'sysctl', '-qw', `${key}=${value}`]);
  }

  route(host: string, destination: string, via: string): void {
    must('ip', ['-n', this.ns(host), 'route', 'add', destination, 'via', via]);
  }

  /** The host's /etc/hosts: `localhost` plus the given name → address pairs. */
  writeHosts(host: string, entries: readonly (readonly [address: string, name: string])[]): void {
    const lines = ['127.0.0.1 localhost', ...entries.map(([a, n]) => `${a} ${n}`)];
    writeFileSync(join(NETNS_ETC, this.ns(host), 'hosts'), `${lines.join('\n')}\n`);
  }

  /** Kills what still runs in the lab's namespaces (all started by this test), deletes them and their /etc/netns files. */
  destroy(): void {
    if (!this.created) return;
    removeNamespaces([...[...this.hosts.keys()].map((h) => this.ns(h)), this.switchNs]);
    this.hosts.clear();
    this.networks.clear();
  }
}

function removeNamespaces(names: readonly string[]): void {
  for (const ns of names) {
    for (const pid of attempt('ip', ['netns', 'pids', ns]).stdout.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const ns of names) {
    attempt('ip', ['netns', 'delete', ns]);
    rmSync(join(NETNS_ETC, ns), { recursive: true, force: true });
  }
}

/**
 * Removes what a crashed run left behind: lab namespaces, /etc/netns folders and lab directories whose
 * test process is gone. A live run's lab (another test process on this host) is left alone.
 */
export function removeStaleLabs(): string[] {
  const listed = attempt('ip', ['netns', 'list']).stdout.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(LAB_PREFIX));
  const etc = existsSync(NETNS_ETC) ? readdirSync(NETNS_ETC).filter((n) => n.startsWith(LAB_PREFIX)) : [];
  const stale = [...new Set([...listed, ...etc])].filter((n) => {
    const pid = Number(/^tzst-(\d+)-/.exec(n)?.[1]);
    return !Number.isInteger(pid) || !processAlive(pid);
  });
  removeNamespaces(stale);
  // The lab's directory (data volume, PostgreSQL cluster, secrets) is named the same way.
  const dirs = readdirSync(tmpdir()).filter((n) => /^tzst-\d+-/.test(n) && !processAlive(Number(/^tzst-(\d+)-/.exec(n)?.[1])));
  for (const d of dirs) rmSync(join(tmpdir(), d), { recursive: true, force: true });
  return [...stale, ...dirs];
}
