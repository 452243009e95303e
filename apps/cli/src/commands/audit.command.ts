import { commandGroup } from '../command-group';
import { auditTailCommand } from './audit/audit-tail.subcommand';
import { auditVerifyCommand } from './audit/audit-verify.subcommand';

export const auditCommand = commandGroup('audit', 'verify and read the tamper-evident audit log', [auditVerifyCommand, auditTailCommand]);
