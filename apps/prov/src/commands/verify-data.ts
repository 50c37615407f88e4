import { datasetVersionId } from '@prov/integrity';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { CliError, EXIT } from '../cli/exit-codes';
import type { Output } from '../cli/output';

export interface DataVerification {
  datasetVersionId: string;
  computedId: string;
  match: boolean;
  files: Array<{ path: string; sizeBytes: number; sha256: string }>;
}

/**
 * `prov verify-data <datasetVersionId> <path>`: hashes the files (a
 * directory's, by their paths relative to it, or one file by its name),
 * recomputes the manifest digest a dataset version is named by, and says
 * whether these are exactly the registered files. Exit 1 on a mismatch.
 */
export async function verifyData(out: Output, expectedId: string, path: string): Promise<number> {
  if (!/^dsv:sha256:[0-9a-f]{64}$/.test(expectedId))
    throw new CliError(`${expectedId} is not a dataset version id (dsv:sha256:<64 hex>)`, EXIT.usage);
  const info = await stat(path).catch(() => {
    throw new CliError(`${path}: no such file or directory`, EXIT.usage);
  });
  const entries = info.isDirectory()
    ? (await filesUnder(path)).map((file) => ({ file, path: relative(path, file).split(sep).join('/') }))
    : [{ file: path, path: basename(path) }];
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (entries.length === 0) throw new CliError(`${path} holds no files`, EXIT.usage);

  const sizes = await Promise.all(entries.map(async (e) => (await stat(e.file)).size));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const progress = out.progress('hashing', totalBytes, 'bytes');
  let hashedBytes = 0;
  const files: DataVerification['files'] = [];
  try {
    for (const [index, entry] of entries.entries()) {
      const sha256 = await sha256Of(entry.file, (bytes) => {
        hashedBytes += bytes;
        progress.update(hashedBytes);
      });
      files.push({ path: entry.path, sizeBytes: sizes[index], sha256 });
    }
  } finally {
    progress.stop();
  }
  const computedId = datasetVersionId(files);
  const result: DataVerification = {
    datasetVersionId: expectedId,
    computedId,
    match: computedId === expectedId,
    files,
  };
  out.answer(result, () =>
    result.match
      ? `match: the ${files.length} files (${totalBytes} bytes) under ${path} are dataset version ${expectedId}`
      : [
          `MISMATCH: the ${files.length} files under ${path} make ${computedId},`,
          `not ${expectedId}: a file was changed, added, removed or renamed since the version was registered.`,
          ...files.map((f) => `  ${f.path}  ${f.sizeBytes} bytes  sha256 ${f.sha256}`),
        ].join('\n'),
  );
  return result.match ? EXIT.ok : EXIT.checkFailed;
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return filesUnder(path);
      return entry.isFile() ? [path] : [];
    }),
  );
  return nested.flat();
}

function sha256Of(file: string, onBytes: (bytes: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => {
        hash.update(chunk);
        onBytes(chunk.length);
      })
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
