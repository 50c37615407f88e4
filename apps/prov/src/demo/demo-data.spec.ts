import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { writeCustomerEvents } from './demo-data';

describe('the demo data', () => {
  let dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'prov-demo-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    dirs = [];
  });

  it('is the same bytes on every run, so the demo records the same dataset version ids', () => {
    const first = writeCustomerEvents(dir(), '2026-10', 2, 10);
    expect(writeCustomerEvents(dir(), '2026-10', 2, 10)).toEqual(first);
    expect(writeCustomerEvents(dir(), '2026-10', 2, 11)).not.toEqual(first);
  });

  it('reports each file with its real size and digest', () => {
    const directory = dir();
    const [file] = writeCustomerEvents(directory, '2026-11', 1, 3);
    const content = readFileSync(join(directory, file.path));
    expect(file).toEqual({
      path: 'part-00000.csv',
      sizeBytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    expect(content.toString().split('\n')[0]).toBe(
      'customer_id,event_at,country,channel,sessions_30d,spend_30d,churned',
    );
  });
});
