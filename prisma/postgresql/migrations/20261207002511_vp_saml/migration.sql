-- AlterTable
ALTER TABLE "VirtualProxyConfig" ADD COLUMN     "samlAttributeMap" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "samlAttributeSigningAlgorithm" TEXT NOT NULL DEFAULT 'sha256',
ADD COLUMN     "samlAttributeUserDirectory" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "samlAttributeUserId" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "samlEntityId" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "samlHostUri" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "samlMetadataIDP" TEXT NOT NULL DEFAULT '';
