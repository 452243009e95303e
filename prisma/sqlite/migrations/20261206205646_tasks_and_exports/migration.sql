-- CreateTable
CREATE TABLE "ReloadTask" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "taskSessionTimeout" INTEGER NOT NULL DEFAULT 1440,
    "maxRetries" INTEGER NOT NULL DEFAULT 0,
    "isManuallyTriggered" BOOLEAN NOT NULL DEFAULT false,
    "isPartialReload" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "ReloadTask_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SchemaEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "reloadTaskId" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "daylightSavingTime" INTEGER NOT NULL DEFAULT 0,
    "startDate" TEXT NOT NULL,
    "expirationDate" TEXT NOT NULL,
    "schemaFilterDescription" TEXT NOT NULL DEFAULT '["* * - * * * * *"]',
    "incrementDescription" TEXT NOT NULL,
    "incrementOption" INTEGER NOT NULL,
    "nextExecution" DATETIME,
    "lastExecution" DATETIME,
    CONSTRAINT "SchemaEvent_reloadTaskId_fkey" FOREIGN KEY ("reloadTaskId") REFERENCES "ReloadTask" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CompositeEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "reloadTaskId" TEXT NOT NULL,
    "timeConstraintSeconds" INTEGER NOT NULL DEFAULT 21600,
    CONSTRAINT "CompositeEvent_reloadTaskId_fkey" FOREIGN KEY ("reloadTaskId") REFERENCES "ReloadTask" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CompositeEventRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "compositeEventId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "ruleState" INTEGER NOT NULL,
    "reloadTaskId" TEXT NOT NULL,
    CONSTRAINT "CompositeEventRule_compositeEventId_fkey" FOREIGN KEY ("compositeEventId") REFERENCES "CompositeEvent" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CompositeEventRule_reloadTaskId_fkey" FOREIGN KEY ("reloadTaskId") REFERENCES "ReloadTask" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExecutionResult" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "status" INTEGER NOT NULL,
    "trigger" TEXT NOT NULL,
    "executingNodeName" TEXT NOT NULL DEFAULT '',
    "claimToken" INTEGER NOT NULL DEFAULT 0,
    "startTime" DATETIME,
    "stopTime" DATETIME,
    "notBefore" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "duration" INTEGER NOT NULL DEFAULT 0,
    "details" TEXT NOT NULL DEFAULT '[]',
    "scriptLog" TEXT NOT NULL DEFAULT '',
    "scriptLogSize" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "ExecutionResult_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "ReloadTask" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SchedulerLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "token" INTEGER NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DownloadTicket" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "exportToken" TEXT NOT NULL DEFAULT '',
    "identityKey" TEXT NOT NULL,
    "skipData" BOOLEAN NOT NULL DEFAULT false,
    "expiresAt" DATETIME NOT NULL,
    "used" BOOLEAN NOT NULL DEFAULT false
);

-- CreateIndex
CREATE INDEX "ReloadTask_appId_idx" ON "ReloadTask"("appId");

-- CreateIndex
CREATE INDEX "SchemaEvent_reloadTaskId_idx" ON "SchemaEvent"("reloadTaskId");

-- CreateIndex
CREATE INDEX "SchemaEvent_nextExecution_idx" ON "SchemaEvent"("nextExecution");

-- CreateIndex
CREATE INDEX "CompositeEvent_reloadTaskId_idx" ON "CompositeEvent"("reloadTaskId");

-- CreateIndex
CREATE INDEX "CompositeEventRule_compositeEventId_idx" ON "CompositeEventRule"("compositeEventId");

-- CreateIndex
CREATE INDEX "CompositeEventRule_reloadTaskId_idx" ON "CompositeEventRule"("reloadTaskId");

-- CreateIndex
CREATE INDEX "ExecutionResult_taskId_idx" ON "ExecutionResult"("taskId");

-- CreateIndex
CREATE INDEX "ExecutionResult_executionId_idx" ON "ExecutionResult"("executionId");

-- CreateIndex
CREATE INDEX "ExecutionResult_status_idx" ON "ExecutionResult"("status");

-- CreateIndex
CREATE INDEX "DownloadTicket_expiresAt_idx" ON "DownloadTicket"("expiresAt");
