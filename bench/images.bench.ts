/**
 * The shipped images: builds them as CI does (docker/ci-images.sh: air-gapped base images, every
 * target, the image checks) and records each image's size, the base images' sizes and the time of
 * the build as run; then runs the compose site in containers (docker/compose-site.sh) and records
 * the cold start: `up` of the default profile on an empty site to every service healthy.
 * Summary: largest_image_mb, site_healthy_s. The site runs on Debian's docker-compose 1.29, which has
 * no healthcheck start_interval: healthchecks run every 30 s, so site_healthy_s moves in 30 s steps
 * and is an upper bound of what Compose v2 (start_interval 2 s) gives.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeResult } from './bench-util';

const docker = process.env['DOCKER'] ?? '/usr/bin/docker';
const out = join(mkdtempSync(join(tmpdir(), 'tz-images-')), 'images.json');
const started = Date.now();
execFileSync('bash', ['docker/ci-images.sh'], { stdio: 'inherit', env: { ...process.env, TZ_IMAGES_JSON: out, DOCKER: docker } });
const buildSeconds = Math.round((Date.now() - started) / 100) / 10;
const healthyFile = join(mkdtempSync(join(tmpdir(), 'tz-site-')), 'healthy');
execFileSync('bash', ['docker/compose-site.sh'], { stdio: 'inherit', env: { ...process.env, TZ_SITE_HEALTHY_FILE: healthyFile, DOCKER: docker } });
const siteHealthy = Number(readFileSync(healthyFile, 'utf8').trim());
const { images } = JSON.parse(readFileSync(out, 'utf8')) as { images: Record<string, { size_mb: number }> };
const sizeMb = (image: string) => Math.round(Number(execFileSync(docker, ['image', 'inspect', '-f', '{{.Size}}', image], { encoding: 'utf8' }).trim()) / 1e5) / 10;
const base = Object.fromEntries(['node:20-bookworm-slim', 'node:20-bookworm', 'postgres:15-bookworm', 'redis:7-bookworm'].map((i) => [i, sizeMb(i)]));
const largest = Math.max(...Object.values(images).map((i) => i.size_mb));
writeResult('images', { largest_image_mb: largest, site_healthy_s: siteHealthy }, {
  images,
  base_images_mb: base,
  ci_images_step_s: buildSeconds,
  site_healthy_s_note: 'docker-compose 1.29 on a down-converted copy (tools/compose-downconvert.mjs): no start_interval, healthchecks every 30 s',
  load: 'shared 2-core machine under load from other sessions; ci_images_step_s includes whatever of the base images and build cache was already present',
});
