-- Users' groups become attributes of type "Group" (Qlik's shape): one definition of a user's groups
-- for security rules and section access. Existing UserGroup rows are kept as QRS-set attributes.

-- AlterTable
ALTER TABLE "UserAttribute" ADD COLUMN     "externalId" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'qrs';

-- Data: each group after the user's existing attributes, in name order.
INSERT INTO "UserAttribute" ("id", "userRef", "position", "attributeType", "attributeValue", "externalId", "source")
SELECT md5(random()::text || g."userRef" || g."name"), g."userRef",
       (SELECT COUNT(*) FROM "UserAttribute" a WHERE a."userRef" = g."userRef")
         + (SELECT COUNT(*) FROM "UserGroup" g2 WHERE g2."userRef" = g."userRef" AND g2."name" < g."name"),
       'Group', g."name", '', 'qrs'
FROM "UserGroup" g;

-- DropForeignKey
ALTER TABLE "UserGroup" DROP CONSTRAINT "UserGroup_userRef_fkey";

-- DropTable
DROP TABLE "UserGroup";
