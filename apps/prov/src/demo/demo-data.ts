import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WrittenFile {
  path: string;
  sizeBytes: number;
  sha256: string;
}

/** A small deterministic generator (mulberry32): the demo's files are the same bytes on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = ['DE', 'FR', 'NL', 'ES', 'IT'];
const CHANNELS = ['web', 'app', 'store'];

/**
 * Writes one snapshot of the demo's customer-events table as CSV part files
 * under `directory` and returns their manifest (paths relative to it), so
 * that `prov verify-data` has real files to check.
 */
export function writeCustomerEvents(
  directory: string,
  snapshot: string,
  partCount: number,
  seed: number,
): WrittenFile[] {
  mkdirSync(directory, { recursive: true });
  const next = random(seed);
  const files: WrittenFile[] = [];
  for (let part = 0; part < partCount; part++) {
    const rows = ['customer_id,event_at,country,channel,sessions_30d,spend_30d,churned'];
    for (let row = 0; row < 250; row++) {
      const customer = 100_000 + part * 1000 + row;
      const day = 1 + Math.floor(next() * 28);
      const country = COUNTRIES[Math.floor(next() * COUNTRIES.length)];
      const channel = CHANNELS[Math.floor(next() * CHANNELS.length)];
      const sessions = Math.floor(next() * 40);
      const spend = (next() * 500).toFixed(2);
      const churned = next() < 0.18 ? 1 : 0;
      rows.push(
        `${customer},${snapshot}-${String(day).padStart(2, '0')}T12:00:00Z,${country},${channel},${sessions},${spend},${churned}`,
      );
    }
    const content = `${rows.join('\n')}\n`;
    const path = `part-${String(part).padStart(5, '0')}.csv`;
    writeFileSync(join(directory, path), content);
    files.push({
      path,
      sizeBytes: Buffer.byteLength(content),
      sha256: createHash('sha256').update(content).digest('hex'),
    });
  }
  return files;
}

/** A model artifact's files: the demo writes small weight files so their digests are real. */
export function writeModelArtifact(directory: string, weights: Record<string, number>): WrittenFile[] {
  mkdirSync(directory, { recursive: true });
  const content = `${JSON.stringify({ format: 'gradient-boosted-trees', weights }, null, 2)}\n`;
  writeFileSync(join(directory, 'model.json'), content);
  return [
    {
      path: 'model.json',
      sizeBytes: Buffer.byteLength(content),
      sha256: createHash('sha256').update(content).digest('hex'),
    },
  ];
}
