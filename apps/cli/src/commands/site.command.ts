import { commandGroup } from '../command-group';
import { siteStatusCommand } from './site/site-status.subcommand';

export const siteCommand = commandGroup('site', 'look after a running site', [siteStatusCommand]);
