import { commandGroup } from '../command-group';
import { certsExportCommand } from './certs/certs-export.subcommand';
import { certsRefreshCrlCommand } from './certs/certs-refresh-crl.subcommand';
import { certsRevokeCommand } from './certs/certs-revoke.subcommand';
import { certsRotateCommand } from './certs/certs-rotate.subcommand';
import { certsRotateCaCommand } from './certs/certs-rotate-ca.subcommand';
import { certsStatusCommand } from './certs/certs-status.subcommand';

export const certsCommand = commandGroup('certs', 'inspect, rotate, revoke and export trust-zone certificates; keep the CRL fresh', [certsStatusCommand, certsRotateCommand, certsRevokeCommand, certsRefreshCrlCommand, certsExportCommand, certsRotateCaCommand]);
