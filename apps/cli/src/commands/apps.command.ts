import { commandGroup } from '../command-group';
import { appsRekeyCommand } from './apps/apps-rekey.subcommand';
import { appsReloadCommand } from './apps/apps-reload.subcommand';

export const appsCommand = commandGroup('apps', 'reload apps and re-wrap their encryption keys', [appsReloadCommand, appsRekeyCommand]);
