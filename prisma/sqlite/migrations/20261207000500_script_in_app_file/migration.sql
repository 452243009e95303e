-- The load script moves out of this database into the app file (encrypted with the app; see
-- docs/operations.md "Upgrading"). `tz site upgrade` moves existing scripts and empties this column
-- first; while any script is still here this migration fails (the CHECK below names the step), so
-- dropping the column can never lose a script.
CREATE TABLE "ScriptMoveGuard" (
    "pending" INTEGER NOT NULL,
    CONSTRAINT "run_tz_site_upgrade_to_move_load_scripts_into_the_app_files" CHECK ("pending" = 0)
);
INSERT INTO "ScriptMoveGuard" ("pending") SELECT COUNT(*) FROM "App" WHERE "script" <> '';
DROP TABLE "ScriptMoveGuard";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_App" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "ownerId" TEXT NOT NULL,
    "streamId" TEXT,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "publishTime" DATETIME,
    "lastReloadTime" DATETIME,
    "fileSize" BIGINT NOT NULL DEFAULT 0,
    "engineNodeId" TEXT,
    CONSTRAINT "App_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "App_streamId_fkey" FOREIGN KEY ("streamId") REFERENCES "Stream" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "App_engineNodeId_fkey" FOREIGN KEY ("engineNodeId") REFERENCES "ServerNode" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_App" ("createdDate", "description", "engineNodeId", "fileSize", "id", "lastReloadTime", "modifiedByUserName", "modifiedDate", "name", "ownerId", "publishTime", "published", "streamId") SELECT "createdDate", "description", "engineNodeId", "fileSize", "id", "lastReloadTime", "modifiedByUserName", "modifiedDate", "name", "ownerId", "publishTime", "published", "streamId" FROM "App";
DROP TABLE "App";
ALTER TABLE "new_App" RENAME TO "App";
CREATE INDEX "App_ownerId_idx" ON "App"("ownerId");
CREATE INDEX "App_streamId_idx" ON "App"("streamId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
