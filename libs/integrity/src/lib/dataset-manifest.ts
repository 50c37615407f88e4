import { digestOf } from './digest';
import { InvalidManifestError } from './integrity.errors';

/** One file of a dataset snapshot or model artifact. */
export interface ManifestFile {
  path: string;
  sizeBytes: number;
  /** 64 lowercase hex characters. */
  sha256: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The canonical manifest: files sorted by path (by UTF-16 code units, as
 * canonical JSON sorts keys), each with exactly path, size and sha256. The
 * order files were listed in never changes the digest.
 */
export function buildManifest(files: readonly ManifestFile[]): ManifestFile[] {
  if (files.length === 0) throw new InvalidManifestError('a manifest needs at least one file');
  files.forEach((file, i) => {
    if (typeof file.path !== 'string' || file.path.length === 0)
      throw new InvalidManifestError(`parts[${i}].path must be a non-empty string`);
    if (!Number.isSafeInteger(file.sizeBytes) || file.sizeBytes < 0) {
      throw new InvalidManifestError(`parts[${i}].sizeBytes must be a non-negative integer`);
    }
    if (typeof file.sha256 !== 'string' || !SHA256_HEX.test(file.sha256)) {
      throw new InvalidManifestError(`parts[${i}].sha256 must be 64 lowercase hex characters`);
    }
  });
  const sorted = files
    .map(({ path, sizeBytes, sha256 }) => ({ path, sizeBytes, sha256 }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].path === sorted[i - 1].path)
      throw new InvalidManifestError(`path ${JSON.stringify(sorted[i].path)} appears twice`);
  }
  return sorted;
}

/** `dsv:sha256:<hex>`: a dataset version is named by its content. */
export function datasetVersionId(files: readonly ManifestFile[]): string {
  return `dsv:${digestOf(buildManifest(files))}`;
}

/** `sha256:<hex>` of a model artifact's files manifest (same rules as a dataset version). */
export function artifactManifestDigest(files: readonly ManifestFile[]): string {
  return digestOf(buildManifest(files));
}

/** `slice:sha256:<hex>`: a slice is named by its dataset version and its canonical criteria. */
export function dataSliceId(datasetVersionId: string, criteria: object): string {
  return `slice:${digestOf({ datasetVersionId, criteria })}`;
}
