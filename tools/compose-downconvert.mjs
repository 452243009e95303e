#!/usr/bin/env node
// Down-converts docker-compose.yml for Debian's docker-compose 1.29 on Docker Engine 20.10, which
// reject or cannot do four things the file uses (it targets Compose v2.26+ / Engine 26+):
//   name, healthcheck.start_interval, depends_on.<svc>.required   dropped (a dependency with
//       required: false on a service outside the active profiles is dropped with it)
//   volume.subpath of the `site` volume                           a bind mount of the same folder of
//       SITE_DIR (a host directory standing in for the volume), read_only kept
// and then proves it changed nothing else: the output, with exactly those changes undone, must equal
// the input. Used by docker/compose-site.sh.  Usage: compose-downconvert.mjs IN OUT SITE_DIR PROFILE
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { parse, stringify } from 'yaml';

const [input, output, siteDir, profile = ''] = process.argv.slice(2);
if (!input || !output || !siteDir) throw new Error('usage: compose-downconvert.mjs IN OUT SITE_DIR [PROFILE]');
const original = parse(readFileSync(input, 'utf8'), { merge: true, maxAliasCount: -1 });
const c = structuredClone(original);
const undo = [];
for (const key of Object.keys(c)) if (key.startsWith('x-')) delete c[key]; // anchors, already merged
const name = c.name;
delete c.name;
undo.push((r) => { r.name = name; });
const active = new Set(Object.entries(c.services).filter(([, s]) => !s.profiles || s.profiles.includes(profile)).map(([n]) => n));
for (const [svcName, s] of Object.entries(c.services)) {
  if (s.healthcheck && 'start_interval' in s.healthcheck) {
    const v = s.healthcheck.start_interval;
    delete s.healthcheck.start_interval;
    undo.push((r) => { r.services[svcName].healthcheck.start_interval = v; });
  }
  for (const [dep, cond] of Object.entries(s.depends_on ?? {})) {
    if (typeof cond !== 'object' || !('required' in cond)) continue;
    const saved = structuredClone(cond);
    if (cond.required === false && !active.has(dep)) delete s.depends_on[dep];
    else delete cond.required;
    undo.push((r) => { r.services[svcName].depends_on[dep] = saved; });
  }
  (s.volumes ?? []).forEach((v, i) => {
    if (typeof v !== 'object' || v.source !== 'site') return;
    const saved = structuredClone(v);
    const sub = v.volume?.subpath ?? '';
    s.volumes[i] = { type: 'bind', source: sub ? `${siteDir}/${sub}` : siteDir, target: v.target, read_only: v.read_only === true };
    undo.push((r) => { r.services[svcName].volumes[i] = saved; });
  });
  (s.volumes ?? []).forEach((v, i) => {
    if (typeof v !== 'string' || !v.startsWith('site:')) return;
    s.volumes[i] = { type: 'bind', source: siteDir, target: v.slice('site:'.length), read_only: false };
    undo.push((r) => { r.services[svcName].volumes[i] = v; });
  });
}
const siteVolume = c.volumes.site;
delete c.volumes.site;
undo.push((r) => { r.volumes.site = siteVolume; });

const restored = structuredClone(c);
for (const u of undo) u(restored);
for (const key of Object.keys(original)) if (key.startsWith('x-')) restored[key] = original[key];
if (!isDeepStrictEqual(restored, original)) {
  console.error('compose-downconvert: the conversion changed more than the four known keys');
  process.exit(1);
}
// YAML 1.1 output: docker-compose 1.29 (PyYAML) reads an unquoted no as false.
writeFileSync(output, stringify(c, { version: '1.1' }));
console.log(`compose-downconvert: ${undo.length} change(s) (name, start_interval, depends_on.required, site subpaths → ${siteDir}); nothing else`);
