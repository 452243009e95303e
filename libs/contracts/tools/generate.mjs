#!/usr/bin/env node
// Generates TypeScript types for every .proto (proto-loader-gen-types) and a JSON descriptor that
// the runtime loads with proto-loader's fromJSON, so bundles never read .proto files from disk.
// Run by the cached Nx target `contracts:generate`; output is committed (architecture.md).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const here = dirname(fileURLToPath(import.meta.url));
const lib = resolve(here, '..');
const protoDir = join(lib, 'proto');
const out = join(lib, 'src', 'generated');
const protos = readdirSync(protoDir).filter((f) => f.endsWith('.proto')).sort();

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const bin = resolve(lib, '..', '..', 'node_modules', '.bin', 'proto-loader-gen-types');
execFileSync(bin, [...protos, '--grpcLib=@grpc/grpc-js', `--outDir=${out}`, '--longs=Number', '--enums=String', '--defaults', '--oneofs', '--includeComments',
  `--includeDirs=${protoDir}`], { stdio: 'inherit', cwd: protoDir });

// Generated files say where they came from; keep that path relative so output is machine-independent.
for (const file of readdirSync(out, { recursive: true })) {
  const path = join(out, String(file));
  if (!path.endsWith('.ts')) continue;
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.replaceAll(protoDir + '/', 'libs/contracts/proto/'));
}

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : join(protoDir, target));
root.loadSync(protos.map((p) => join(protoDir, p)), { keepCase: false });
writeFileSync(join(out, 'descriptor.json'), JSON.stringify(root.toJSON(), null, 1) + '\n');
console.log(`contracts: generated types for ${protos.join(', ')}`);
