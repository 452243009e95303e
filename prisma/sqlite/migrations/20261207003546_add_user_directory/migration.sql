-- CreateTable
CREATE TABLE "UserDirectory" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "userDirectoryName" TEXT NOT NULL,
    "directoryKey" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "syncOnlyLoggedInUsers" BOOLEAN NOT NULL DEFAULT false,
    "creationType" INTEGER NOT NULL DEFAULT 1
);

-- CreateIndex
CREATE UNIQUE INDEX "UserDirectory_directoryKey_key" ON "UserDirectory"("directoryKey");
