import { VERSION } from '@trustzone/config';
import { ServiceError, type AssertedUser } from '@trustzone/contracts';
import type { Upstreams } from '../upstreams';

const CHECK_DEADLINE_MS = 2_000;

/**
 * GET /qrs/sitestatus (the console's site status, trustzone's own): every service as this proxy
 * reaches it over mTLS — the repository and each engine with status, version, certificate serial and
 * expiry and their own checks — plus the site's certificate inventory. Admin-only: the inventory call
 * comes first and the repository's rules decide (Read on the Certificate resource); nobody else learns
 * the engines' addresses (the same trust-zone view the API port's /health gives integrations).
 */
export async function siteStatus(up: Upstreams, user: AssertedUser, deadlineMs: number): Promise<string> {
  const certificates = JSON.parse((await up.repository.unary('SiteCertificates', {}, { deadlineMs, user })).json) as { certificates: { name: string; kind: string; current: boolean; notAfter: string; daysLeft: number; revoked: boolean; warning?: string }[] } & Record<string, unknown>;
  const [repository, engines] = await Promise.all([
    up.repositoryHealth.unary('Check', {}, { deadlineMs: CHECK_DEADLINE_MS }).then(
      (h) => ({ status: h.status, version: h.version, certificateSerial: h.certificateSerial, certificateNotAfter: h.certificateNotAfter, checks: h.checks }),
      (e: unknown) => ({ status: 'unavailable', error: e instanceof ServiceError ? e.code : 'UNAVAILABLE' }),
    ),
    up.engines.checkEach(CHECK_DEADLINE_MS),
  ]);
  const proxyCert = certificates.certificates.find((c) => c.current && c.kind === 'service' && c.name === 'proxy');
  const services = [
    // This proxy answered the request, so it is up; its certificate's expiry comes from the inventory.
    { service: 'proxy', address: 'this proxy', status: 'ok', version: VERSION, certificateNotAfter: proxyCert?.notAfter ?? '' },
    { service: 'repository', address: 'repository', ...repository },
    ...engines.map((e) => ({ service: 'engine', address: e.address, inRotation: e.up, ...(e.health ?? { status: 'unavailable', error: e.error }) })),
  ];
  return JSON.stringify({ checkedAt: new Date().toISOString(), services, certificates });
}
