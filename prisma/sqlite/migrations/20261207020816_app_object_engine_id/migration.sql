-- AlterTable
ALTER TABLE "AppObject" ADD COLUMN "engineObjectId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "AppObject_appId_engineObjectId_key" ON "AppObject"("appId", "engineObjectId");
