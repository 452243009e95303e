import { commandGroup } from '../command-group';
import { keysAddCommand } from './keys/keys-add.subcommand';
import { keysListCommand } from './keys/keys-list.subcommand';

export const keysCommand = commandGroup('keys', 'manage the encryption keys of apps at rest', [keysAddCommand, keysListCommand]);
