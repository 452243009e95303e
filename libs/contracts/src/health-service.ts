import { callers } from './caller-policy';
import { unary, type GuardedHandlers } from './guarded-handlers';
import type { HealthCheckResponse, HealthHandlers } from './service-types';

export interface HealthSource {
  service: 'proxy' | 'repository' | 'engine';
  version: string;
  /** The callee's own certificate, for `tz site status` and rotation tests. */
  certificate: () => { serial: string; notAfter: string };
  /** Named dependency checks ("database": "ok"); any value other than "ok" degrades the status. */
  checks?: () => Promise<Record<string, string>>;
}

/** Health.Check: every identity of the site may ask; the answer names the caller as the callee saw it. */
export function healthHandlers(source: HealthSource): GuardedHandlers<HealthHandlers> {
  return {
    Check: unary(
      { callers: callers.anyone(), user: 'none' },
      async (_req, ctx): Promise<HealthCheckResponse> => {
        const checks = (await source.checks?.()) ?? {};
        const cert = source.certificate();
        return {
          status: Object.values(checks).every((v) => v === 'ok') ? 'ok' : 'degraded',
          service: source.service,
          version: source.version,
          callerIdentity: ctx.callerName,
          certificateSerial: cert.serial,
          certificateNotAfter: cert.notAfter,
          checks,
        };
      },
    ),
  };
}
