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

-- AlterTable
ALTER TABLE "App" DROP COLUMN "script";
