-- AlterTable
ALTER TABLE "VirtualProxyConfig" ADD COLUMN     "headerAuthenticationTrustedSources" TEXT NOT NULL DEFAULT '["127.0.0.1/32","::1/128"]',
ADD COLUMN     "jwtIssuer" TEXT NOT NULL DEFAULT '';
