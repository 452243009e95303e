import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import * as samlify from 'samlify';

/**
 * A real SAML 2.0 identity provider for tests: samlify's IdP side on a loopback port, with its own
 * login form (a password check), signed responses over the HTTP-POST binding (an auto-post form the
 * test browser submits), attributes (uid, mail, groups) and a single-logout endpoint that records
 * the LogoutRequests it gets. Its signing key and self-signed certificate are the caller's
 * (node:crypto + node-forge, made by the test). `next` bends the next responses (audience, lifetime, unsigned…) for
 * refusal tests; `respond` builds one for a request id without a browser (attack tests).
 */
export interface SamlTestUser {
  password: string;
  email: string;
  groups: string[];
}

export interface ResponseTweaks {
  audience?: string;
  recipient?: string;
  /** Seconds the assertion lives; negative = already expired. */
  lifetimeSeconds?: number;
  /** Sign nothing (the signatures samlify made are taken out). */
  unsigned?: boolean;
  /** Sign the Response only, not the assertion inside it. */
  responseSignedOnly?: boolean;
  assertionId?: string;
  nameId?: string;
}

export interface LogoutRequestTweaks {
  /** Send it unsigned (the SP is told not to want it signed). */
  unsigned?: boolean;
  /** Sign with this key and certificate instead of the IdP's (a wrong signer). */
  signWith?: { certPem: string; keyPem: string };
  id?: string;
  /** Seconds until NotOnOrAfter; negative = already expired. */
  lifetimeSeconds?: number;
  destination?: string;
  /** SessionIndex to name; null = none (every session of the NameID). Default: the user's last login here. */
  sessionIndex?: string | null;
}

/** An IdP-initiated LogoutRequest for the HTTP-POST binding: where to post it and the form fields. */
export interface IdpLogoutRequest {
  action: string;
  id: string;
  form: URLSearchParams;
}

export interface SamlTestIdp {
  entityId: string;
  metadataXml: string;
  ssoUrl: string;
  users: Map<string, SamlTestUser>;
  /** Trust a service provider by its metadata (what an IdP administrator does). */
  trust(spMetadataXml: string): void;
  next: ResponseTweaks;
  /** The base64 SAMLResponse of the last login. */
  lastResponse(): string | undefined;
  /** LogoutRequests received (XML). */
  logoutRequests: string[];
  /** LogoutResponses received at /slo (XML, as the SP sent them; signature not required of an SP). */
  logoutResponses: string[];
  /** SessionIndex of each user's last login response. */
  sessionIndexes: Map<string, string>;
  /** An IdP-initiated LogoutRequest (samlify builds and signs it) naming `nameId`, for the trusted SP's SingleLogoutService. */
  logoutRequest(nameId: string, tweaks?: LogoutRequestTweaks, relayState?: string): Promise<IdpLogoutRequest>;
  /** A signed (unless tweaked) Response for `requestId`, as base64. */
  respond(requestId: string, user: string, tweaks?: ResponseTweaks): Promise<string>;
  close(): Promise<void>;
}

// samlify asks for an XML schema validator before it parses a request; the SP under test is
// ours and trusted, and schema validation is the SP's job, not this test IdP's.
samlify.setSchemaValidator({ validate: () => Promise.resolve('skipped') });

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > 1_000_000) req.destroy();
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const attribute = (name: string, values: string[]) =>
  `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${values.map((v) => `<saml:AttributeValue xsi:type="xs:string">${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`;

/** `cert`: the IdP's signing key and self-signed certificate (tests make one with @trustzone/testing's createTestCertificate). */
export async function startSamlTestIdp(cert: { certPem: string; keyPem: string }): Promise<SamlTestIdp> {
  const users = new Map<string, SamlTestUser>();
  const logoutRequests: string[] = [];
  const logoutResponses: string[] = [];
  const sessionIndexes = new Map<string, string>();
  let sp: ReturnType<typeof samlify.ServiceProvider> | undefined;
  let last: string | undefined;
  const next: ResponseTweaks = {};
  const server: Server = createServer((req, res) => void handle(req, res).catch((e: unknown) => { res.statusCode = 500; res.end(String(e)); }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${base}/metadata`;
  const idp = samlify.IdentityProvider({
    entityID: entityId,
    privateKey: cert.keyPem,
    signingCert: cert.certPem,
    wantAuthnRequestsSigned: false,
    singleSignOnService: [{ Binding: REDIRECT, Location: `${base}/sso` }],
    singleLogoutService: [{ Binding: REDIRECT, Location: `${base}/slo` }],
    nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'],
  });
  const metadataXml = idp.getMetadata();

  async function respond(requestId: string, userId: string, t: ResponseTweaks = {}): Promise<string> {
    if (!sp) throw new Error('trust a service provider first');
    const user = users.get(userId);
    if (!user) throw new Error(`no user ${userId}`);
    const target = sp;
    const sessionIndex = `_s${randomBytes(8).toString('hex')}`;
    sessionIndexes.set(t.nameId ?? userId, sessionIndex);
    const unsignedSp = t.unsigned || t.responseSignedOnly ? samlify.ServiceProvider({ metadata: sp.getMetadata().replace('WantAssertionsSigned="true"', 'WantAssertionsSigned="false"') }) : target;
    const { context } = await idp.createLoginResponse(unsignedSp, { extract: { request: { id: requestId } } }, 'post', { email: userId }, (template: string) => {
      const now = Date.now();
      const life = (t.lifetimeSeconds ?? 300) * 1000;
      const id = `_${randomBytes(16).toString('hex')}`;
      const acs = target.entityMeta.getAssertionConsumerService('post') as string;
      const values: Record<string, string> = {
        ID: id,
        AssertionID: t.assertionId ?? `_${randomBytes(16).toString('hex')}`,
        Destination: acs,
        Audience: t.audience ?? target.entityMeta.getEntityID(),
        SubjectRecipient: t.recipient ?? acs,
        Issuer: entityId,
        IssueInstant: new Date(now - (life < 0 ? 600_000 : 0)).toISOString(),
        StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
        ConditionsNotBefore: new Date(now - (life < 0 ? 600_000 : 5_000)).toISOString(),
        ConditionsNotOnOrAfter: new Date(now + life).toISOString(),
        SubjectConfirmationDataNotOnOrAfter: new Date(now + life).toISOString(),
        NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
        NameID: esc(t.nameId ?? userId),
        InResponseTo: requestId,
        AuthnStatement: `<saml:AuthnStatement AuthnInstant="${new Date(now).toISOString()}" SessionIndex="${sessionIndex}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
        AttributeStatement: `<saml:AttributeStatement>${attribute('uid', [userId])}${attribute('mail', [user.email])}${user.groups.length > 0 ? attribute('groups', user.groups) : ''}</saml:AttributeStatement>`,
      };
      return { id, context: template.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m) };
    });
    if (!t.unsigned) return context;
    const xml = Buffer.from(context, 'base64').toString('utf8').replace(/<ds:Signature\b[\s\S]*?<\/ds:Signature>/g, '');
    return Buffer.from(xml).toString('base64');
  }

  async function logoutRequest(nameId: string, t: LogoutRequestTweaks = {}, relayState = ''): Promise<IdpLogoutRequest> {
    if (!sp) throw new Error('trust a service provider first');
    const spMetadata = sp.getMetadata();
    const target = samlify.ServiceProvider({ metadata: spMetadata, wantLogoutRequestSigned: !t.unsigned });
    const signer = t.signWith
      ? samlify.IdentityProvider({ entityID: entityId, privateKey: t.signWith.keyPem, signingCert: t.signWith.certPem, singleSignOnService: [{ Binding: REDIRECT, Location: `${base}/sso` }], singleLogoutService: [{ Binding: REDIRECT, Location: `${base}/slo` }] })
      : idp;
    const action = target.entityMeta.getSingleLogoutService('post') as string;
    const now = Date.now();
    const id = t.id ?? `_${randomBytes(16).toString('hex')}`;
    const index = t.sessionIndex === undefined ? sessionIndexes.get(nameId) : t.sessionIndex;
    const made = signer.createLogoutRequest(target, 'post', { logoutNameID: nameId }, {
      relayState,
      customTagReplacement: () => ({
        id,
        context:
          `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${esc(id)}" Version="2.0" IssueInstant="${new Date(now).toISOString()}" NotOnOrAfter="${new Date(now + (t.lifetimeSeconds ?? 120) * 1000).toISOString()}" Destination="${esc(t.destination ?? action)}">` +
          `<saml:Issuer>${esc(entityId)}</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${esc(nameId)}</saml:NameID>` +
          `${index ? `<samlp:SessionIndex>${esc(index)}</samlp:SessionIndex>` : ''}</samlp:LogoutRequest>`,
      }),
    }) as { context: string };
    const form = new URLSearchParams({ SAMLRequest: made.context });
    if (relayState !== '') form.set('RelayState', relayState);
    return { action, id, form };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname === '/metadata') {
      res.setHeader('Content-Type', 'application/samlmetadata+xml');
      res.end(metadataXml);
      return;
    }
    if (url.pathname === '/sso' && req.method === 'GET') {
      if (!sp) throw new Error('no trusted service provider');
      const parsed = await idp.parseLoginRequest(sp, 'redirect', { query: Object.fromEntries(url.searchParams), octetString: '' } as never);
      const id = (parsed.extract as { request: { id: string } }).request.id;
      res.setHeader('Content-Type', 'text/html');
      res.end(`<html><body><h1>Sign in</h1><form method="post" action="/sso/login"><input type="hidden" name="request" value="${esc(id)}"><input type="hidden" name="RelayState" value="${esc(url.searchParams.get('RelayState') ?? '')}"><input name="login"><input name="password" type="password"></form></body></html>`);
      return;
    }
    if (url.pathname === '/sso/login' && req.method === 'POST') {
      const form = await readForm(req);
      const login = form.get('login') ?? '';
      if (users.get(login)?.password !== form.get('password')) {
        res.setHeader('Content-Type', 'text/html');
        res.end('<html><body>Wrong user or password</body></html>');
        return;
      }
      last = await respond(form.get('request') ?? '', login, next);
      const acs = sp?.entityMeta.getAssertionConsumerService('post') as string;
      res.setHeader('Content-Type', 'text/html');
      res.end(`<html><body onload="document.forms[0].submit()"><form method="post" action="${esc(acs)}"><input type="hidden" name="SAMLResponse" value="${esc(last)}"><input type="hidden" name="RelayState" value="${esc(form.get('RelayState') ?? '')}"></form></body></html>`);
      return;
    }
    if (url.pathname === '/slo' && req.method === 'GET' && url.searchParams.has('SAMLResponse')) {
      logoutResponses.push(inflateRawSync(Buffer.from(url.searchParams.get('SAMLResponse') ?? '', 'base64')).toString('utf8'));
      res.setHeader('Content-Type', 'text/html');
      res.end('<html><body>Signed out everywhere</body></html>');
      return;
    }
    if (url.pathname === '/slo' && req.method === 'GET') {
      logoutRequests.push(inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8'));
      res.setHeader('Content-Type', 'text/html');
      res.end('<html><body>Signed out at the IdP</body></html>');
      return;
    }
    res.statusCode = 404;
    res.end();
  }

  return {
    entityId,
    metadataXml,
    ssoUrl: `${base}/sso`,
    users,
    trust: (xml) => {
      sp = samlify.ServiceProvider({ metadata: xml });
    },
    next,
    lastResponse: () => last,
    logoutRequests,
    logoutResponses,
    sessionIndexes,
    logoutRequest,
    respond,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
