-- A plain ADD COLUMN (SQLite supports it with a constant default) instead of the table rebuild
-- Prisma emits: a rebuild written on another branch would not carry this column.
ALTER TABLE "VirtualProxyConfig" ADD COLUMN "authenticationModuleRedirectUri" TEXT NOT NULL DEFAULT '';
