import { health, login, probes, qixSession, requests } from './client-commands';

/*
 * A machine outside the site, run inside the client namespace by multi-host.spec.ts:
 *   node --import tsx client-main.ts <command> '<json>'   → one JSON line on stdout
 * Every name it uses resolves through the namespace's /etc/hosts; every file is read by path.
 */

const commands: Record<string, (arg: never) => Promise<unknown>> = { probe: probes, login, requests, health, qix: qixSession };

async function main(): Promise<void> {
  const [command = '', json = '{}'] = process.argv.slice(2);
  const run = commands[command];
  if (!run) throw new Error(`unknown command ${command}`);
  process.stdout.write(`${JSON.stringify(await run(JSON.parse(json) as never))}\n`);
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: e instanceof Error ? e.message : String(e) })}\n`);
  process.exitCode = 1;
});
