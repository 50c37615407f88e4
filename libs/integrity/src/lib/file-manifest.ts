import { InvalidManifestError } from './integrity.errors';

/** One file of a dataset snapshot or of a model artifact. */
export interface ManifestFile {
  path: string;
  sizeBytes: number;
  /** 64 lowercase hex characters. */
  sha256: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The canonical manifest: each file with exactly path, size and sha256,
 * sorted by path in UTF-16 code units (the order canonical JSON sorts keys
 * in). The services and the command line that lists files on disk both
 * build manifests here, so that the order files were listed in never
 * changes the id of what they describe.
 */
export function buildManifest(files: readonly ManifestFile[]): ManifestFile[] {
  if (!Array.isArray(files) || files.length === 0) throw new InvalidManifestError('a manifest needs at least one part');
  const firstIndexOf = new Map<string, number>();
  const parts = files.map((file: Partial<ManifestFile> | null, i): ManifestFile => {
    const { path, sizeBytes, sha256 } = file ?? {};
    if (typeof path !== 'string' || path.length === 0 || !path.isWellFormed()) {
      throw new InvalidManifestError(`parts[${i}].path must be a non-empty string`, i);
    }
    if (typeof sizeBytes !== 'number' || !Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
      throw new InvalidManifestError(`parts[${i}].sizeBytes must be a non-negative integer`, i);
    }
    if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) {
      throw new InvalidManifestError(`parts[${i}].sha256 must be 64 lowercase hex characters`, i);
    }
    const first = firstIndexOf.get(path);
    if (first !== undefined) {
      throw new InvalidManifestError(
        `parts[${i}].path ${JSON.stringify(path)} appears twice (first at parts[${first}])`,
        i,
      );
    }
    firstIndexOf.set(path, i);
    return { path, sizeBytes, sha256 };
  });
  // Paths are distinct by now, so the comparison never needs to return 0.
  return parts.sort((a, b) => (a.path < b.path ? -1 : 1));
}
