import { canonicalJson, parseDigest } from '@prov/integrity';
import type { EventRef, LineageCompleteness, ModelLineageDocument } from '@prov/projections';
import type { KeyObject } from 'node:crypto';
import { DsseEnvelope, signDsse } from './dsse';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** Our predicate: a model version's lineage as the platform recorded it. */
export const MODEL_LINEAGE_PREDICATE_TYPE = 'https://provenance.dev/ModelLineage/v1';

export interface InTotoStatement<P> {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: Array<{ name: string; uri?: string; digest: Record<string, string> }>;
  predicateType: string;
  predicate: P;
}

/** The ModelLineage/v1 predicate: what produced the artifact, each record named by its id and digest. */
export interface ModelLineagePredicate {
  modelVersion: {
    id: string;
    name: string;
    version: string;
    artifactUri: string;
    stage: string | null;
    revoked: boolean;
  };
  run: {
    id: string;
    startedAt: string;
    endedAt: string | null;
    status: string | null;
    codeCommit: string;
    owner: string | null;
    hyperparameters: unknown;
    seeds: Record<string, number>;
    environment: unknown;
    inputs: Array<{ sliceId: string; role: string; samplingFraction: number | null }>;
  } | null;
  pipeline: { id: string; codeDigest: string; steps: string[] } | null;
  dataSlices: Array<{
    id: string;
    digest: { sha256: string };
    datasetVersionId: string | null;
    contentDigest: string | null;
    rowCount: number | null;
    roles: string[];
    flagged: boolean;
  }>;
  datasetVersions: Array<{ id: string; digest: { sha256: string }; datasetId: string | null; source: string | null }>;
  completeness: LineageCompleteness;
  /** The event behind each record, for a verifier to fetch and prove in the audit log. */
  events: Array<{ link: string; eventId: string; payloadDigest: string }>;
}

/** `slice:sha256:<hex>` and `dsv:sha256:<hex>` are digests: in-toto names them by algorithm. */
const digestOfId = (id: string) => ({ sha256: parseDigest(id.slice(id.indexOf(':') + 1)).hex });

/**
 * An in-toto Statement v1 about a model version's artifact (its manifest
 * digest) whose predicate carries the lineage: run, pipeline, data slices
 * and dataset versions with their digests, and the events behind them.
 * Values the contracts mark sensitive (slice filters, dataset owners) are
 * left out, so the statement is the same for every reader.
 */
export function modelLineageStatement(lineage: ModelLineageDocument): InTotoStatement<ModelLineagePredicate> {
  const { modelVersion, run, pipeline } = lineage;
  const events: ModelLineagePredicate['events'] = [];
  const add = (link: string, event: EventRef | null | undefined) => {
    if (event) events.push({ link, eventId: event.eventId, payloadDigest: event.payloadDigest });
  };
  add('modelVersion', modelVersion.event);
  add('run', run?.event);
  add('run.completion', run?.completion?.event);
  add('pipeline', pipeline?.event);
  for (const slice of lineage.slices) add(`dataSlices[${slice.id}]`, slice.event);
  for (const version of lineage.datasetVersions) add(`datasetVersions[${version.id}]`, version.event);
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [
      {
        name: modelVersion.id,
        uri: modelVersion.artifact.uri,
        digest: { sha256: parseDigest(modelVersion.artifact.digest).hex },
      },
    ],
    predicateType: MODEL_LINEAGE_PREDICATE_TYPE,
    predicate: {
      modelVersion: {
        id: modelVersion.id,
        name: modelVersion.name,
        version: modelVersion.version,
        artifactUri: modelVersion.artifact.uri,
        stage: modelVersion.stage,
        revoked: modelVersion.revoked,
      },
      run: run && {
        id: run.id,
        startedAt: run.startedAt,
        endedAt: run.completion?.endedAt ?? null,
        status: run.completion?.status ?? null,
        codeCommit: run.codeCommit,
        owner: run.owner,
        hyperparameters: run.hyperparameters,
        seeds: run.seeds,
        environment: run.environment,
        inputs: run.inputs.map((input) => ({
          sliceId: input.sliceId,
          role: input.role,
          samplingFraction: input.samplingFraction ?? null,
        })),
      },
      pipeline: pipeline && {
        id: pipeline.id,
        codeDigest: pipeline.codeDigest,
        steps: pipeline.steps.map((s) => s.name),
      },
      dataSlices: lineage.slices.map((slice) => ({
        id: slice.id,
        digest: digestOfId(slice.id),
        datasetVersionId: slice.datasetVersionId,
        contentDigest: slice.contentDigest,
        rowCount: slice.rowCount,
        roles: slice.roles,
        flagged: slice.flagged,
      })),
      datasetVersions: lineage.datasetVersions.map((version) => ({
        id: version.id,
        digest: digestOfId(version.id),
        datasetId: version.datasetId,
        source: version.source,
      })),
      completeness: lineage.completeness,
      events,
    },
  };
}

/** The statement as a DSSE envelope signed with Ed25519; its payload is the statement's RFC 8785 canonical JSON. */
export function attestModelLineage(lineage: ModelLineageDocument, privateKey: KeyObject, keyId: string): DsseEnvelope {
  const payload = Buffer.from(canonicalJson(modelLineageStatement(lineage)), 'utf8');
  return signDsse(IN_TOTO_PAYLOAD_TYPE, payload, privateKey, keyId);
}
