import { datasetVersionId } from '@prov/integrity';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Output } from '../cli/output';
import { verifyData } from './verify-data';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('prov verify-data', () => {
  let root: string;
  let written: string[];
  const out = () => {
    written = [];
    const stream = { write: (s: string) => written.push(s), isTTY: false } as unknown as NodeJS.WriteStream;
    return new Output(true, stream, stream);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'prov-verify-'));
    mkdirSync(join(root, 'day=1'));
    writeFileSync(join(root, 'day=1', 'part-0.csv'), 'a,b\n1,2\n');
    writeFileSync(join(root, 'part-1.csv'), 'a,b\n3,4\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  // The manifest a producer registers: paths relative to the dataset's root, with '/' on every platform.
  const registered = () =>
    datasetVersionId([
      { path: 'day=1/part-0.csv', sizeBytes: 8, sha256: sha('a,b\n1,2\n') },
      { path: 'part-1.csv', sizeBytes: 8, sha256: sha('a,b\n3,4\n') },
    ]);

  it('matches the files a dataset version was registered with', async () => {
    expect(await verifyData(out(), registered(), root)).toBe(0);
    expect(JSON.parse(written.join(''))).toMatchObject({ match: true, computedId: registered() });
  });

  it('fails with exit code 1 when a file changed, and says what it computed', async () => {
    writeFileSync(join(root, 'part-1.csv'), 'a,b\n3,5\n');
    expect(await verifyData(out(), registered(), root)).toBe(1);
    const answer = JSON.parse(written.join(''));
    expect(answer.match).toBe(false);
    expect(answer.files.map((f: { path: string }) => f.path)).toEqual(['day=1/part-0.csv', 'part-1.csv']);
  });

  it('fails when a file was added', async () => {
    writeFileSync(join(root, 'extra.csv'), 'x\n');
    expect(await verifyData(out(), registered(), root)).toBe(1);
  });

  it('refuses what is not a dataset version id, and a path that does not exist', async () => {
    await expect(verifyData(out(), 'dsv:nope', root)).rejects.toMatchObject({ exitCode: 2 });
    await expect(verifyData(out(), registered(), join(root, 'missing'))).rejects.toMatchObject({ exitCode: 2 });
  });
});
