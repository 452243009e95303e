/**
 * Imported first by every sandboxed entry point: locks the process down before any other module
 * runs. Node 20's permission model (--experimental-permission) covers fs, child processes, workers
 * and addons but NOT the network, and symlinks bypass its fs checks (the worker checks realpath
 * itself). So this module:
 *  1. makes every network entry point throw (sockets, servers, UDP, DNS, fetch) — by patching the
 *     shared prototypes, which also covers tls/http/https/http2 built on net.Socket;
 *  2. refuses to load modules a reload never needs (net, tls, http*, dns, dgram, child_process,
 *     cluster, worker_threads, inspector, vm, v8, module, wasi, repl), via require and
 *     process.getBuiltinModule;
 *  3. removes process-level escape hatches (process.binding, _linkedBinding, dlopen, kill,
 *     _debugProcess) and freezes the core prototypes against prototype pollution.
 * It is defence in depth: the load-script interpreter never runs user code, so all of this only
 * matters if an interpreter bug ever gave a script a foothold.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import Module from 'node:module';
import net from 'node:net';

const DENIED_MODULES = new Set([
  'net', 'tls', 'http', 'https', 'http2', 'dgram', 'dns', 'dns/promises', 'child_process', 'cluster',
  'worker_threads', 'inspector', 'inspector/promises', 'vm', 'v8', 'module', 'wasi', 'repl', 'trace_events',
]);

export class SandboxViolation extends Error {
  override readonly name = 'SandboxViolation';
  readonly code = 'ERR_SANDBOX_DENIED';
}

function deny(what: string): () => never {
  return () => {
    throw new SandboxViolation(`${what} is not allowed in the reload sandbox`);
  };
}

function stubMethods(target: object | undefined, names: readonly string[], label: string): void {
  if (!target) return;
  for (const name of names) {
    Object.defineProperty(target, name, { value: deny(`${label}.${name}`), writable: false, configurable: false });
  }
}

function stubAllFunctions(target: object, label: string): void {
  const names = Object.keys(target).filter((k) => typeof (target as Record<string, unknown>)[k] === 'function');
  stubMethods(target, names, label);
}

function lockNetwork(): void {
  stubMethods(net.Socket.prototype, ['connect'], 'net.Socket');
  stubMethods(net.Server.prototype, ['listen'], 'net.Server');
  stubMethods(net, ['connect', 'createConnection', 'createServer'], 'net');
  stubMethods(dgram.Socket.prototype, ['bind', 'connect', 'send'], 'dgram.Socket');
  stubMethods(dgram, ['createSocket'], 'dgram');
  stubAllFunctions(dns.promises, 'dns.promises');
  stubMethods(dns.Resolver.prototype, ['resolve', 'resolve4', 'resolve6', 'reverse', 'resolveAny'], 'dns.Resolver');
  stubAllFunctions(dns, 'dns');
  for (const name of ['fetch', 'WebSocket', 'EventSource']) {
    Object.defineProperty(globalThis, name, { value: deny(name), writable: false, configurable: false });
  }
}

function lockModules(): void {
  type Loader = (request: string, ...rest: unknown[]) => unknown;
  const mod = Module as unknown as { _load: Loader };
  const original = mod._load;
  const isDenied = (request: unknown) => typeof request === 'string' && DENIED_MODULES.has(request.replace(/^node:/, ''));
  const guarded: Loader = function (this: unknown, request, ...rest) {
    if (isDenied(request)) throw new SandboxViolation(`module "${request}" is not available in the reload sandbox`);
    return original.call(this, request, ...rest);
  };
  Object.defineProperty(mod, '_load', { value: guarded, writable: false, configurable: false });
  const p = process as unknown as { getBuiltinModule?: (id: string) => unknown };
  const getBuiltin = p.getBuiltinModule?.bind(process);
  if (getBuiltin) {
    const guardedGet = (id: string): unknown => {
      if (isDenied(id)) throw new SandboxViolation(`module "${id}" is not available in the reload sandbox`);
      return getBuiltin(id);
    };
    Object.defineProperty(process, 'getBuiltinModule', { value: guardedGet, writable: false, configurable: false });
  }
}

function lockProcess(): void {
  for (const name of ['binding', '_linkedBinding', 'dlopen', 'kill', '_debugProcess', '_debugEnd', '_startProfilerIdleNotifier', 'setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'chdir']) {
    if (name in process) Object.defineProperty(process, name, { value: deny(`process.${name}`), writable: false, configurable: false });
  }
  for (const key of Object.keys(process.env)) delete process.env[key];
}

function freezeIntrinsics(): void {
  for (const proto of [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype, Map.prototype, Set.prototype, Promise.prototype, RegExp.prototype]) {
    Object.freeze(proto);
  }
}

lockNetwork();
lockModules();
lockProcess();
freezeIntrinsics();
