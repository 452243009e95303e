import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Configuration, default as ProviderClass } from 'oidc-provider';

/**
 * A real OpenID Provider for tests: node-oidc-provider (OpenID Certified) on a loopback port, with
 * its own login and consent interaction (HTML forms, real POSTs, a password check), a `groups`
 * claim, RP-initiated and back-channel logout, and keys that can be rotated. `publish` overrides the JWKS document
 * the provider serves (to model "old key removed while someone still signs with it").
 */
export interface TestUser {
  password: string;
  name: string;
  email: string;
  groups: string[];
}

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** Registered as the client's backchannel_logout_uri (session required: the token carries `sid`). */
  backchannelLogoutUri?: string;
  /**
   * How the provider's own outgoing requests (the back-channel logout POST) reach their target: a
   * test whose relying party is not on a real address routes them here. Default: global fetch.
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

export type Jwk = Record<string, unknown> & { kid: string };

export interface TestIdp {
  issuer: string;
  discoveryUrl: string;
  /** Signing keys in order: the first one signs. Replacing them restarts the provider (same issuer). */
  setKeys(keys: Jwk[], publish?: Jwk[]): void;
  /** Users the login form accepts; change freely. */
  users: Map<string, TestUser>;
  /** How many times the JWKS document was fetched. */
  jwksFetches(): number;
  /** How many times userinfo was asked. */
  userinfoFetches(): number;
  /** Put the scope's claims in the ID token too (conformIdTokenClaims off), as many providers do. */
  setClaimsInIdToken(on: boolean): void;
  /** Back-channel logout deliveries the provider reported failed (its `backchannel.error` event). */
  backchannelErrors(): string[];
  /** Signs `claims` as a JWT with `key` (RS256), for tests that forge what a provider would send. */
  sign(claims: Record<string, unknown>, key?: Jwk): Promise<string>;
  close(): Promise<void>;
}

export function newSigningKey(kid: string): Jwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg: 'RS256', use: 'sig' };
}

export const publicJwk = (k: Jwk): Jwk => {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = k;
  return pub as Jwk;
};

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > 16_384) req.destroy();
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function page(res: ServerResponse, html: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(`<!doctype html><html><body>${html}</body></html>`);
}

export async function startTestIdp(client: TestClient, initialKeys: Jwk[] = [newSigningKey('k1')]): Promise<TestIdp> {
  const users = new Map<string, TestUser>();
  let jwksFetches = 0;
  let userinfoFetches = 0;
  const backchannelErrors: string[] = [];
  let claimsInIdToken = false;
  let currentKeys = initialKeys;
  let published: Jwk[] | undefined;
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cookieKeys = [randomBytes(32).toString('hex')];
  // Loaded on first use: most users of this library never start a provider.
  const Provider = (await import('oidc-provider')).default as typeof ProviderClass;

  const make = (keys: Jwk[]) => {
    const configuration: Configuration = {
      clients: [{
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: client.redirectUris,
        post_logout_redirect_uris: client.postLogoutRedirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
        ...(client.backchannelLogoutUri ? { backchannel_logout_uri: client.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
      }],
      ...(client.fetch ? { fetch: client.fetch as never } : {}),
      jwks: { keys: keys as never },
      cookies: { keys: cookieKeys },
      claims: { openid: ['sub'], profile: ['name'], email: ['email'], groups: ['groups'] },
      scopes: ['openid', 'profile', 'email', 'groups'],
      features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true }, backchannelLogout: { enabled: true } },
      conformIdTokenClaims: !claimsInIdToken,
      pkce: { required: () => true },
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      findAccount: (_ctx, id) => {
        const u = users.get(id);
        return u ? { accountId: id, claims: () => ({ sub: id, name: u.name, email: u.email, groups: u.groups }) } : undefined;
      },
    };
    const p = new Provider(issuer, configuration);
    // Tokens go to a loopback client over http in tests; the provider must not insist on TLS.
    p.proxy = false;
    p.on('backchannel.error', (_ctx: unknown, err: unknown) => backchannelErrors.push(err instanceof Error ? err.message : String(err)));
    return p;
  };
  let provider = make(initialKeys);

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res).catch((e: unknown) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    const m = /^\/interaction\/([^/]+)(?:\/(login|confirm))?$/.exec(url.pathname);
    if (url.pathname === '/me') userinfoFetches += 1;
    if (url.pathname === '/jwks') {
      jwksFetches += 1;
      if (published) {
        res.setHeader('Content-Type', 'application/jwk-set+json');
        res.end(JSON.stringify({ keys: published.map(publicJwk) }));
        return;
      }
    }
    if (!m) return provider.callback()(req, res);
    const details = await provider.interactionDetails(req, res);
    const uid = m[1] as string;
    if (req.method === 'GET') {
      if (details.prompt.name === 'login') {
        page(res, `<form method="post" action="/interaction/${esc(uid)}/login"><input name="login"><input type="password" name="password"><button>Sign in</button></form>`);
      } else {
        page(res, `<p>Allow ${esc(client.clientId)} to read ${esc(String(details.params['scope']))}?</p><form method="post" action="/interaction/${esc(uid)}/confirm"><button>Allow</button></form>`);
      }
      return;
    }
    const form = await readForm(req);
    if (m[2] === 'login') {
      const login = form.get('login') ?? '';
      if (users.get(login)?.password !== form.get('password')) {
        page(res, `<p class="error">Wrong user or password</p><form method="post" action="/interaction/${esc(uid)}/login"><input name="login"><input type="password" name="password"><button>Sign in</button></form>`);
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
      return;
    }
    // Consent: grant exactly what the client asked for and is still missing.
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    const grant = new provider.Grant({ accountId: String(details.session?.accountId), clientId: client.clientId });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    users,
    setKeys(keys, publish) {
      currentKeys = keys;
      provider = make(keys);
      published = publish;
    },
    jwksFetches: () => jwksFetches,
    userinfoFetches: () => userinfoFetches,
    setClaimsInIdToken(on) {
      claimsInIdToken = on;
      provider = make(currentKeys);
    },
    backchannelErrors: () => [...backchannelErrors],
    async sign(claims, key = currentKeys[0]) {
      if (!key) throw new Error('no signing key');
      const { SignJWT, importJWK } = await import('jose');
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(await importJWK(key as never, 'RS256'));
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
