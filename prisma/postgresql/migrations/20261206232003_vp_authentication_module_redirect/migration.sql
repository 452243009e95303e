-- AlterTable
ALTER TABLE "VirtualProxyConfig" ADD COLUMN     "authenticationModuleRedirectUri" TEXT NOT NULL DEFAULT '';
