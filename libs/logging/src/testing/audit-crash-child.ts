// Child process for the kill -9 test: appends in several concurrent loops and prints
// "<seq> <hash>" for every append *after* it resolved, so the parent knows exactly which appends
// were acknowledged as durable before it killed us. stdout is a pipe, which is synchronous on Linux.
import { readFileSync } from 'node:fs';
import { openAuditLog } from '../audit/audit-log';
import { sampleEvent } from './audit-fixture';

async function main(): Promise<void> {
  const [dir, keyFile, certFile] = process.argv.slice(2);
  if (!dir || !keyFile || !certFile) throw new Error('usage: audit-crash-child <dir> <key> <cert>');
  const log = await openAuditLog({ dir, signer: { keyPem: readFileSync(keyFile, 'utf8'), certPem: readFileSync(certFile, 'utf8') }, checkpointEvery: 64 });
  let i = 0;
  const loop = async (): Promise<never> => {
    for (;;) {
      const record = await log.append(sampleEvent(i++));
      process.stdout.write(`${record.seq} ${record.hash}\n`);
    }
  };
  await Promise.all([loop(), loop(), loop(), loop()]);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
