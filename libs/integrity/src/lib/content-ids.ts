import { digestOf } from './digest';
import { buildManifest, ManifestFile } from './file-manifest';
import { InvalidDigestError } from './integrity.errors';

/** A dataset version's manifest as registered: the files it is made of. */
export interface DatasetManifest {
  parts: readonly ManifestFile[];
}

const DATASET_VERSION_ID = /^dsv:sha256:[0-9a-f]{64}$/;

/**
 * `dsv:sha256:<hex>`: a dataset version is named by the digest of its
 * canonical manifest. Takes the manifest or its parts alone.
 */
export function datasetVersionId(manifest: DatasetManifest | readonly ManifestFile[]): string {
  const parts = Array.isArray(manifest) ? manifest : (manifest as DatasetManifest).parts;
  return `dsv:${digestOf(buildManifest(parts))}`;
}

/** `slice:sha256:<hex>`: a slice is named by its dataset version and its criteria, canonicalised. */
export function dataSliceId(datasetVersionId: string, criteria: object): string {
  if (typeof datasetVersionId !== 'string' || !DATASET_VERSION_ID.test(datasetVersionId)) {
    throw new InvalidDigestError(
      `${JSON.stringify(datasetVersionId)} is not a dataset version id of the form dsv:sha256:<64 lowercase hex>`,
    );
  }
  return `slice:${digestOf({ datasetVersionId, criteria })}`;
}

/** `sha256:<hex>` of a model artifact's files, by the same rules as a dataset version. */
export function artifactManifestDigest(parts: readonly ManifestFile[]): string {
  return digestOf(buildManifest(parts));
}
