// Child process for the kill -9 test of atomic saves: saves one app over and over, alternating two
// large payloads, and prints the generation after each save resolved.
import { createAppStore } from '../store/app-store';
import { openKeyStore } from '../keys/key-store';
import { AppAuthKey } from '../keys/app-auth-key';

async function main(): Promise<void> {
  const [appsDir, keysDir, authHex] = process.argv.slice(2);
  if (!appsDir || !keysDir || !authHex) throw new Error('usage: app-save-child <appsDir> <keysDir> <authKeyHex>');
  const store = await createAppStore({ appsDir, keyStore: await openKeyStore(keysDir, { watch: false }), authKey: AppAuthKey.fromBytes(Buffer.from(authHex, 'hex')) });
  const payloads = [Buffer.alloc(8 * 1024 * 1024, 0xaa), Buffer.alloc(8 * 1024 * 1024, 0xbb)];
  for (let generation = 0; ; generation++) {
    await store.save('crash-app', payloads[generation % 2] as Buffer);
    process.stdout.write(`${generation}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
