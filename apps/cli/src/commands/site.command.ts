import { commandGroup } from '../command-group';
import { siteBackupCommand } from './site/site-backup.subcommand';
import { siteRestoreCommand } from './site/site-restore.subcommand';
import { siteStatusCommand } from './site/site-status.subcommand';
import { siteUpgradeCommand } from './site/site-upgrade.subcommand';

export const siteCommand = commandGroup('site', 'look after a running site', [siteStatusCommand, siteBackupCommand, siteRestoreCommand, siteUpgradeCommand]);
