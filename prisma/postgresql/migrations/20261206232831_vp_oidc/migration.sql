-- AlterTable
ALTER TABLE "VirtualProxyConfig" ADD COLUMN     "oidcAttributeEmail" TEXT NOT NULL DEFAULT 'email',
ADD COLUMN     "oidcAttributeGroups" TEXT NOT NULL DEFAULT 'groups',
ADD COLUMN     "oidcAttributeMap" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "oidcAttributeName" TEXT NOT NULL DEFAULT 'name',
ADD COLUMN     "oidcAttributeSub" TEXT NOT NULL DEFAULT 'sub',
ADD COLUMN     "oidcClientId" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "oidcClientSecret" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "oidcConfigurationEndpointUri" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "oidcRealm" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "oidcScope" TEXT NOT NULL DEFAULT 'openid profile email';
