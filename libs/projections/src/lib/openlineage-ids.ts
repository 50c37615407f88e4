import { datasetId, jobId } from '@prov/contracts';
import { sha256Hex } from '@prov/integrity';

const MAX_CLEAN_LENGTH = 110;

/**
 * Our dataset id for an OpenLineage dataset. OpenLineage namespaces are often
 * URIs (`postgres://db:5432`) and names may hold slashes, which our names do
 * not allow: a part that is not already a valid name is cleaned and suffixed
 * with 8 hex of its digest, so two different namespaces never share an id
 * and the same one always gets the same.
 */
export function openLineageDatasetId(namespace: string, name: string): string {
  return datasetId(namePart(namespace), namePart(name));
}

/** Our id for an OpenLineage job, its namespace and name cleaned as a dataset's are. */
export function openLineageJobId(namespace: string, name: string): string {
  return jobId(namePart(namespace), namePart(name));
}

function namePart(value: string): string {
  const cleaned = value
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, MAX_CLEAN_LENGTH);
  // An empty namespace or name (the spec allows one) is not a name either.
  return cleaned === value && value !== '' ? value : `${cleaned || 'ol'}-${sha256Hex(value).slice(0, 8)}`;
}
