-- Users' groups become attributes of type "Group" (Qlik's shape): one definition of a user's groups
-- for security rules and section access. Existing UserGroup rows are kept as QRS-set attributes.

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_UserAttribute" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userRef" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "attributeType" TEXT NOT NULL,
    "attributeValue" TEXT NOT NULL,
    "externalId" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT 'qrs',
    CONSTRAINT "UserAttribute_userRef_fkey" FOREIGN KEY ("userRef") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_UserAttribute" ("attributeType", "attributeValue", "id", "position", "userRef") SELECT "attributeType", "attributeValue", "id", "position", "userRef" FROM "UserAttribute";
DROP TABLE "UserAttribute";
ALTER TABLE "new_UserAttribute" RENAME TO "UserAttribute";
CREATE INDEX "UserAttribute_userRef_idx" ON "UserAttribute"("userRef");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Data: each group after the user's existing attributes, in name order.
INSERT INTO "UserAttribute" ("id", "userRef", "position", "attributeType", "attributeValue", "externalId", "source")
SELECT lower(hex(randomblob(16))), g."userRef",
       (SELECT COUNT(*) FROM "UserAttribute" a WHERE a."userRef" = g."userRef")
         + (SELECT COUNT(*) FROM "UserGroup" g2 WHERE g2."userRef" = g."userRef" AND g2."name" < g."name"),
       'Group', g."name", '', 'qrs'
FROM "UserGroup" g;

-- DropIndex
DROP INDEX "UserGroup_name_idx";

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "UserGroup";
PRAGMA foreign_keys=on;
