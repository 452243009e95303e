import { commandGroup } from '../command-group';
import { appsAuthenticateCommand } from './apps/apps-authenticate.subcommand';
import { appsRekeyCommand } from './apps/apps-rekey.subcommand';
import { appsReloadCommand } from './apps/apps-reload.subcommand';

export const appsCommand = commandGroup('apps', 'reload apps, re-wrap their encryption keys, authenticate old app files', [appsReloadCommand, appsRekeyCommand, appsAuthenticateCommand]);
