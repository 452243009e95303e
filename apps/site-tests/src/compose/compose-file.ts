import { parse } from 'yaml';
import { z } from 'zod';
import { SiteTestError, SiteTestErrorCode } from '../site-tests.error';
import { interpolateDeep, type ComposeVars } from './compose-interpolate';

/*
 * The part of the compose specification this project uses, as a loose schema: unknown keys are kept
 * (the checks look at raw keys such as `privileged`), known keys must have the documented shape.
 */
const stringList = z.array(z.string());
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const healthcheckSchema = z.looseObject({
  test: z.union([z.string(), stringList]).optional(),
  disable: z.boolean().optional(),
  interval: z.string().optional(),
  timeout: z.string().optional(),
  retries: z.number().optional(),
  start_period: z.string().optional(),
  start_interval: z.string().optional(),
});

const dependsOnSchema = z.union([
  stringList,
  z.record(z.string(), z.looseObject({ condition: z.string().optional(), required: z.boolean().optional() })),
]);

const secretRefSchema = z.union([
  z.string(),
  z.looseObject({ source: z.string(), target: z.string().optional(), uid: z.string().optional(), gid: z.string().optional(), mode: z.number().optional() }),
]);

const ulimitSchema = z.union([z.number(), z.looseObject({ soft: z.number(), hard: z.number() })]);

export const serviceSchema = z.looseObject({
  image: z.string().optional(),
  build: z.union([z.string(), z.looseObject({ context: z.string().optional(), dockerfile: z.string().optional(), target: z.string().optional() })]).optional(),
  command: z.union([z.string(), stringList]).optional(),
  entrypoint: z.union([z.string(), stringList]).optional(),
  user: z.string().optional(),
  read_only: z.boolean().optional(),
  cap_drop: stringList.optional(),
  cap_add: stringList.optional(),
  security_opt: stringList.optional(),
  ulimits: z.record(z.string(), ulimitSchema).optional(),
  sysctls: z.union([z.record(z.string(), scalar), stringList]).optional(),
  tmpfs: z.union([z.string(), stringList]).optional(),
  volumes: z
    .array(
      z.union([
        z.string(),
        z.looseObject({
          type: z.string().optional(),
          source: z.string().optional(),
          target: z.string(),
          read_only: z.boolean().optional(),
          volume: z.looseObject({ subpath: z.string().optional(), nocopy: z.boolean().optional() }).optional(),
        }),
      ]),
    )
    .optional(),
  environment: z.union([z.record(z.string(), scalar), stringList]).optional(),
  secrets: z.array(secretRefSchema).optional(),
  healthcheck: healthcheckSchema.optional(),
  depends_on: dependsOnSchema.optional(),
  networks: z.union([stringList, z.record(z.string(), z.looseObject({}).nullable())]).optional(),
  ports: z.array(z.union([z.string(), z.number(), z.looseObject({})])).optional(),
  profiles: stringList.optional(),
  restart: z.string().optional(),
  mem_limit: z.union([z.string(), z.number()]).optional(),
  cpus: z.union([z.string(), z.number()]).optional(),
  pids_limit: z.number().optional(),
  deploy: z.looseObject({ resources: z.looseObject({ limits: z.looseObject({ memory: z.string().optional(), cpus: z.union([z.string(), z.number()]).optional() }).optional() }).optional() }).optional(),
});

export const composeSchema = z.looseObject({
  name: z.string().optional(),
  services: z.record(z.string(), serviceSchema),
  networks: z.record(z.string(), z.looseObject({ internal: z.boolean().optional() }).nullable()).optional(),
  volumes: z.record(z.string(), z.looseObject({}).nullable()).optional(),
  secrets: z.record(z.string(), z.looseObject({ file: z.string().optional(), environment: z.string().optional() })).optional(),
});

export type ComposeService = z.infer<typeof serviceSchema>;
export type ComposeFile = z.infer<typeof composeSchema>;

/**
 * Parses compose YAML as compose does: YAML 1.2 with merge keys (`<<:`), then variable interpolation
 * of values, then the shape check. Extension fields (`x-…`) stay in the result. Modes are written
 * `0o400`: YAML 1.2 reads a bare `0400` as decimal (compose's parser would take it as octal).
 */
export function parseCompose(text: string, vars: ComposeVars = {}): ComposeFile {
  let doc: unknown;
  try {
    doc = parse(text, { version: '1.2', merge: true, uniqueKeys: true, maxAliasCount: 1000 });
  } catch (cause) {
    throw new SiteTestError(SiteTestErrorCode.ComposeInvalid, `docker-compose.yml does not parse: ${String(cause)}`, { cause });
  }
  const checked = composeSchema.safeParse(interpolateDeep(doc, vars));
  if (!checked.success) {
    const where = checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SiteTestError(SiteTestErrorCode.ComposeInvalid, `docker-compose.yml has an unexpected shape: ${where}`);
  }
  return checked.data;
}

/** Services active for a set of profiles (a service without `profiles` is always active). */
export function activeServices(compose: ComposeFile, profiles: readonly string[]): string[] {
  return Object.entries(compose.services)
    .filter(([, s]) => !s.profiles || s.profiles.some((p) => profiles.includes(p)))
    .map(([name]) => name);
}

export function environmentOf(s: ComposeService): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, ''])));
  }
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== null).map(([k, v]) => [k, String(v)]));
}

export function networksOf(s: ComposeService): string[] {
  if (!s.networks) return [];
  return Array.isArray(s.networks) ? s.networks : Object.keys(s.networks);
}

export type DependsOn = Record<string, { condition: string; required: boolean }>;

/** The short list form means `service_started`; `required` defaults to true. */
export function dependsOnOf(s: ComposeService): DependsOn {
  const d = s.depends_on ?? {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((n) => [n, { condition: 'service_started', required: true }]));
  return Object.fromEntries(Object.entries(d).map(([n, v]) => [n, { condition: v.condition ?? 'service_started', required: v.required ?? true }]));
}

export function buildTargetOf(s: ComposeService): string | undefined {
  return typeof s.build === 'object' ? s.build.target : undefined;
}

/** The healthcheck test as compose runs it: `['CMD', ...argv]`, `['CMD-SHELL', script]` or `['NONE']`. */
export function healthTestOf(s: ComposeService): string[] | undefined {
  const t = s.healthcheck?.test;
  if (t === undefined) return undefined;
  return typeof t === 'string' ? ['CMD-SHELL', t] : t;
}

/** One entry of a service's `volumes:`, short or long syntax, as compose reads it. */
export interface VolumeMount {
  /** A named volume, a host path (bind) or `/dev/null`. */
  source: string;
  target: string;
  readOnly: boolean;
  /** `volume.subpath` (long syntax): the folder of the volume that is mounted instead of its root. */
  subpath?: string;
}

export function volumeMountsOf(s: ComposeService): VolumeMount[] {
  return (s.volumes ?? []).map((v) => {
    if (typeof v === 'string') {
      const [source = '', target = '', mode = ''] = v.split(':');
      return { source, target, readOnly: mode.split(',').includes('ro') };
    }
    const subpath = v.volume?.subpath;
    return { source: v.source ?? '', target: v.target, readOnly: v.read_only === true, ...(subpath ? { subpath } : {}) };
  });
}
