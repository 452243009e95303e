import { type Command } from '../command';
import { certsCommand } from './certs.command';
import { helpCommand } from './help.command';
import { initCommand } from './init.command';
import { startCommand } from './start.command';
import { appsCommand } from './apps.command';
import { auditCommand } from './audit.command';
import { keysCommand } from './keys.command';
import { healthCommand } from './health.command';
import { siteCommand } from './site.command';
import { versionCommand } from './version.command';

/** The command registry: add a command by appending it here (tz help lists them in this order). */
export const commands: readonly Command[] = [initCommand, startCommand, certsCommand, keysCommand, appsCommand, auditCommand, siteCommand, healthCommand, versionCommand, helpCommand];
