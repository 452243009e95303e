// Proxy CPU per SAML login round trip (landing → AuthnRequest redirect → IdP form → signed Response
// posted to the ACS → session → landing page), for bench:proxy's `saml_login_cpu_ms`. The IdP
// (samlify) runs in this process and the proxy in its own, so the proxy's CPU is read from
// /proc/<pid>/stat and excludes the IdP (which signs every response: it keeps no session here).
import { createTestCertificate } from '../libs/testing/src';
import { httpRequest, startSamlTestIdp, TestBrowser, type RunningSite } from '../libs/site-harness/src';
import { cpuMs, proxyPid, WARM_UP_LOGINS } from './oidc-login-cpu';

export async function samlLoginCpu(site: RunningSite, admin: (method: string, path: string, body?: unknown) => Promise<{ status: number; text: string }>, logins = 200): Promise<{ cpuMsPerLogin: number; logins: number; idleCpuMsPerSecond: number; wallMsPerLogin: number }> {
  const host = `localhost:${site.ports.proxy}`;
  const origin = `https://${host}`;
  const idp = await startSamlTestIdp(createTestCertificate({ commonName: 'bench-saml-idp' }));
  try {
    idp.users.set('alice', { password: 'pw', email: 'alice@corp.example', groups: ['Sales', 'Finance'] });
    const made = await admin('POST', '/qrs/virtualproxyconfig', { prefix: 'saml', authenticationMethod: 'saml', samlMetadataIDP: idp.metadataXml, samlHostUri: origin, samlEntityId: 'urn:trustzone:bench', samlAttributeUserId: 'uid', samlAttributeUserDirectory: '[CORP]', samlAttributeMap: { groups: 'group', mail: 'email' }, websocketCrossOriginWhiteList: [host] });
    if (made.status !== 201) throw new Error(`virtual proxy: ${made.status} ${made.text}`);
    let md = await httpRequest(site, site.ports.proxy, '/saml/saml/metadata', { xrfkey: false });
    for (let i = 0; i < 50 && md.status === 404; i++) {
      await new Promise((r) => setTimeout(r, 300));
      md = await httpRequest(site, site.ports.proxy, '/saml/saml/metadata', { xrfkey: false });
    }
    idp.trust(md.text);
    const oneLogin = async () => {
      const b = new TestBrowser(host, (path, headers, method, body) => httpRequest(site, site.ports.proxy, path, { method, headers, xrfkey: false, ...(body === undefined ? {} : { raw: body }) }));
      const atIdp = await b.follow(`${origin}/saml/hub/`);
      const autoPost = await b.submit(atIdp, { login: 'alice', password: 'pw' });
      const landed = await b.submit(autoPost);
      if (landed.status !== 200 || landed.url !== `${origin}/saml/hub/`) throw new Error(`login failed: ${landed.status} ${landed.url}`);
    };
    for (let i = 0; i < WARM_UP_LOGINS; i++) await oneLogin(); // see WARM_UP_LOGINS
    const pid = proxyPid(site);
    const idleStart = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 3000));
    const idleCpuMsPerSecond = (cpuMs(pid) - idleStart) / 3;
    const start = cpuMs(pid);
    const t0 = performance.now();
    for (let i = 0; i < logins; i++) await oneLogin();
    const wall = performance.now() - t0;
    const used = cpuMs(pid) - start - idleCpuMsPerSecond * (wall / 1000);
    return { cpuMsPerLogin: used / logins, logins, idleCpuMsPerSecond, wallMsPerLogin: wall / logins };
  } finally {
    await idp.close();
  }
}
