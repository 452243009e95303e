import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { pkceChallenge } from './pkce';

describe('pkceChallenge', () => {
  it("is RFC 7636's S256 challenge: the appendix B example, and openid-client's own for random verifiers", async () => {
    // RFC 7636 Appendix B: the verifier and the challenge it gives.
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    for (let i = 0; i < 20; i++) {
      const verifier = oidc.randomPKCECodeVerifier();
      expect(pkceChallenge(verifier)).toBe(await oidc.calculatePKCECodeChallenge(verifier));
    }
  });
});
