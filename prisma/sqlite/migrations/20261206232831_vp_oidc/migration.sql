-- Plain ADD COLUMNs (SQLite supports them with constant defaults) instead of the table rebuild
-- Prisma emits: a rebuild made on one branch drops the columns another branch added meanwhile.
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "oidcConfigurationEndpointUri" TEXT NOT NULL DEFAULT '';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "oidcClientId" TEXT NOT NULL DEFAULT '';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "oidcClientSecret" TEXT NOT NULL DEFAULT '';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "oidcScope" TEXT NOT NULL DEFAULT 'openid profile email';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "oidcRealm" TEXT NOT NULL DEFAULT '';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "oidcAttributeSub" TEXT NOT NULL DEFAULT 'sub';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "oidcAttributeName" TEXT NOT NULL DEFAULT 'name';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "oidcAttributeGroups" TEXT NOT NULL DEFAULT 'groups';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "oidcAttributeEmail" TEXT NOT NULL DEFAULT 'email';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "oidcAttributeMap" TEXT NOT NULL DEFAULT '{}';
