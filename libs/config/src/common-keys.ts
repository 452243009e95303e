import { z } from 'zod';
import { bool, key } from './env-config';

/** Keys every service shares; each service spreads them into its own schema. */
export const commonKeys = {
  dataDir: key('TZ_DATA_DIR', 'Site data directory (certs, db, apps, logs, audit, keys).', z.string().min(1).default('.trustzone')),
  logLevel: key('TZ_LOG_LEVEL', 'Operational log level: error, warn, info, debug.', z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug']).default('info')),
  logStdout: key('TZ_LOG_STDOUT', 'Also write the operational log to stdout (containers); the file in <data>/logs is always written.', bool(false)),
};

/**
 * A bind address. Loopback by default; containers bind every interface (0.0.0.0), which is normal
 * there, so it is not an "unsafe" value: inside the zone every listener requires mutual TLS anyway.
 */
export const bindHost = (env: string, what: string) => key(env, `Bind address of the ${what}.`, z.string().min(1).default('127.0.0.1'));

/** A metrics port: a number, or "off" (→ undefined, no listener). */
export const metricsPort = (dflt: number) =>
  z
    .union([z.literal('off'), z.coerce.number().int().min(0).max(65535)])
    .default(dflt)
    .transform((v) => (v === 'off' ? undefined : v));
