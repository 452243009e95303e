-- CreateTable
CREATE TABLE "UserDirectory" (
    "id" TEXT NOT NULL,
    "createdDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "userDirectoryName" TEXT NOT NULL,
    "directoryKey" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "syncOnlyLoggedInUsers" BOOLEAN NOT NULL DEFAULT false,
    "creationType" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "UserDirectory_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "UserDirectory_directoryKey_key" ON "UserDirectory"("directoryKey");
