import { z } from 'zod';

/**
 * One validated config schema per service (architecture.md): every key names its environment
 * variable, carries a description and a default, and may declare that its value is unsafe in
 * production (refused under NODE_ENV=production, warned about otherwise). Config holds paths to
 * secrets, never secret values.
 */
export interface ConfigKey<T> {
  env: string;
  description: string;
  schema: z.ZodType<T>;
  /** Returns why the value is unsafe for production, or undefined when it is fine. */
  // Method syntax keeps the parameter bivariant so specs of mixed key types fit ConfigSpec.
  unsafe?(value: T): string | undefined;
}

export type ConfigSpec = Record<string, ConfigKey<unknown>>;
export type ConfigOf<S extends ConfigSpec> = { [K in keyof S]: S[K] extends ConfigKey<infer T> ? T : never };

export class ConfigError extends Error {
  constructor(
    readonly code: 'CONFIG_INVALID' | 'CONFIG_UNSAFE_IN_PRODUCTION',
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function key<T>(env: string, description: string, schema: z.ZodType<T>, unsafe?: (value: T) => string | undefined): ConfigKey<T> {
  return { env, description, schema, ...(unsafe ? { unsafe } : {}) };
}

export interface LoadedConfig<S extends ConfigSpec> {
  config: ConfigOf<S>;
  /** Human-readable warnings for unsafe development defaults (log them loudly at start). */
  warnings: string[];
}

export function loadConfig<S extends ConfigSpec>(spec: S, env: NodeJS.ProcessEnv = process.env): LoadedConfig<S> {
  const out: Record<string, unknown> = {};
  const warnings: string[] = [];
  const production = env['NODE_ENV'] === 'production';
  for (const [name, k] of Object.entries(spec)) {
    const raw = env[k.env];
    const parsed = k.schema.safeParse(raw === '' ? undefined : raw);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      throw new ConfigError('CONFIG_INVALID', `${k.env}: ${why} (${k.description})`);
    }
    const problem = k.unsafe?.(parsed.data);
    if (problem) {
      if (production) throw new ConfigError('CONFIG_UNSAFE_IN_PRODUCTION', `${k.env}: ${problem}; refused under NODE_ENV=production`);
      warnings.push(`${k.env}: ${problem}`);
    }
    out[name] = parsed.data;
  }
  return { config: out as ConfigOf<S>, warnings };
}

/** Markdown table of a spec, for docs/configuration.md. */
export function describeConfig(title: string, spec: ConfigSpec): string {
  const rows = Object.values(spec).map((k) => `| \`${k.env}\` | ${k.description} | ${defaultOf(k)} |`);
  return [`### ${title}`, '', '| variable | meaning | default |', '|---|---|---|', ...rows, ''].join('\n');
}

function defaultOf(k: ConfigKey<unknown>): string {
  const r = k.schema.safeParse(undefined);
  return r.success && r.data !== undefined ? `\`${JSON.stringify(r.data)}\`` : '—';
}

/** Common field schemas. */
export const port = (dflt: number) => z.coerce.number().int().min(0).max(65535).default(dflt);
export const ms = (dflt: number) => z.coerce.number().int().min(1).default(dflt);
export const bool = (dflt: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? dflt : v === 'true' || v === '1'));
