-- Plain ADD COLUMNs (SQLite supports them with constant defaults) instead of the table rebuild
-- Prisma emits: a rebuild made on one branch drops the columns another branch added meanwhile.
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "samlMetadataIDP" TEXT NOT NULL DEFAULT '';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "samlHostUri" TEXT NOT NULL DEFAULT '';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "samlEntityId" TEXT NOT NULL DEFAULT '';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "samlAttributeUserId" TEXT NOT NULL DEFAULT '';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "samlAttributeUserDirectory" TEXT NOT NULL DEFAULT '';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "samlAttributeSigningAlgorithm" TEXT NOT NULL DEFAULT 'sha256';
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "samlAttributeMap" TEXT NOT NULL DEFAULT '{}';
