export * from './site-processes';
export * from './site-client';
export * from './oidc-test-idp';
export * from './test-browser';
export * from './saml-test-idp';
