import type { PredictionTrace } from '@prov/lineage-queries';
import type { ModelLineageDocument } from '@prov/projections';
import {
  PROVENANCE_ID_BASE,
  PROVENANCE_NAMESPACE,
  type ProvAttributes,
  type ProvDocument,
  type ProvValue,
} from './prov-document';

/** Attributes as assembled: those without a value (undefined, null) are left out of the record. */
type GivenAttributes = Record<string, ProvValue | ProvValue[] | undefined | null>;

type RelationKind = 'used' | 'wasGeneratedBy' | 'wasDerivedFrom' | 'wasAssociatedWith' | 'specializationOf';

/** What the trace and the model lineage share: the model version and its whole upstream closure. */
type LineageParts = Pick<ModelLineageDocument, 'pipeline' | 'datasetVersions'> & {
  datasets: Array<Pick<ModelLineageDocument['datasets'][number], 'id' | 'namespace' | 'name'>>;
  modelVersion: ModelLineageDocument['modelVersion'] | null;
  run:
    | (Pick<
        NonNullable<ModelLineageDocument['run']>,
        'id' | 'pipelineId' | 'codeCommit' | 'startedAt' | 'owner' | 'completion'
      > & {
        inputs: Array<{ sliceId: string; role: string }>;
      })
    | null;
  slices: Array<
    Pick<ModelLineageDocument['slices'][number], 'id' | 'known' | 'datasetVersionId' | 'contentDigest' | 'flagged'>
  >;
};

const ID_KINDS = ['model', 'run', 'pipeline', 'slice', 'dsv', 'dataset', 'pred', 'batch', 'deployment', 'agent'];

const qualified = (name: string): ProvValue => ({ $: name, type: 'prov:QUALIFIED_NAME' });
const dateTime = (value: string): ProvValue => ({ $: value, type: 'xsd:dateTime' });

/** Assembles a PROV-JSON document record by record; relation ids are numbered blank nodes, in insertion order. */
class ProvDocumentBuilder {
  readonly document: ProvDocument = {
    prefix: {
      prov: 'http://www.w3.org/ns/prov#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      provenance: PROVENANCE_NAMESPACE,
      ...Object.fromEntries(ID_KINDS.map((kind) => [kind, `${PROVENANCE_ID_BASE}${kind}/`])),
    },
    entity: {},
    activity: {},
    agent: {},
    used: {},
    wasGeneratedBy: {},
    wasDerivedFrom: {},
    wasAssociatedWith: {},
    specializationOf: {},
  };
  private relations = 0;

  entity(id: string, type: string, attributes: GivenAttributes = {}): void {
    this.document.entity[id] = { 'prov:type': qualified(type), 'prov:label': id, ...defined(attributes) };
  }

  activity(id: string, type: string, attributes: GivenAttributes = {}): void {
    this.document.activity[id] = { 'prov:type': qualified(type), 'prov:label': id, ...defined(attributes) };
  }

  agent(id: string, type: string, attributes: GivenAttributes = {}): void {
    this.document.agent[id] = { 'prov:type': qualified(type), ...defined(attributes) };
  }

  relation(kind: RelationKind, attributes: GivenAttributes): void {
    this.relations += 1;
    this.document[kind][`_:${kind}${this.relations}`] = defined(attributes);
  }
}

function defined(attributes: GivenAttributes): ProvAttributes {
  return Object.fromEntries(
    Object.entries(attributes).filter(([, v]) => v !== undefined && v !== null),
  ) as ProvAttributes;
}

/** The owner of a run as an agent: principals may be e-mail addresses, so the local name is percent-encoded. */
const agentId = (principal: string) => `agent:${encodeURIComponent(principal)}`;

function addLineage(prov: ProvDocumentBuilder, lineage: LineageParts): void {
  const { modelVersion, run, pipeline } = lineage;
  if (modelVersion) {
    prov.entity(modelVersion.id, 'provenance:ModelVersion', {
      'provenance:artifactDigest': modelVersion.artifact.digest,
      'provenance:artifactUri': modelVersion.artifact.uri,
      'provenance:stage': modelVersion.stage ?? undefined,
      'provenance:revoked': modelVersion.revoked,
    });
  }
  if (pipeline) {
    prov.entity(pipeline.id, 'provenance:Pipeline', {
      'prov:type': [qualified('provenance:Pipeline'), qualified('prov:Plan')],
      'prov:label': pipeline.id,
      'provenance:codeDigest': pipeline.codeDigest,
    });
  }
  for (const slice of lineage.slices) {
    prov.entity(slice.id, 'provenance:DataSlice', {
      'provenance:contentDigest': slice.contentDigest ?? undefined,
      'provenance:flagged': slice.known ? slice.flagged : undefined,
    });
    if (slice.datasetVersionId)
      prov.relation('wasDerivedFrom', { 'prov:generatedEntity': slice.id, 'prov:usedEntity': slice.datasetVersionId });
  }
  for (const version of lineage.datasetVersions) {
    // A dataset version's id is the digest of its manifest.
    prov.entity(version.id, 'provenance:DatasetVersion', {
      'provenance:manifestDigest': version.id.slice('dsv:'.length),
      'provenance:source': version.source ?? undefined,
    });
    if (version.datasetId)
      prov.relation('specializationOf', {
        'prov:specificEntity': version.id,
        'prov:generalEntity': version.datasetId,
      });
  }
  for (const dataset of lineage.datasets) {
    prov.entity(dataset.id, 'provenance:Dataset', {
      'provenance:namespace': dataset.namespace ?? undefined,
      'provenance:name': dataset.name ?? undefined,
    });
  }
  if (!run) return;
  prov.activity(run.id, 'provenance:TrainingRun', {
    'prov:startTime': run.startedAt,
    'prov:endTime': run.completion?.endedAt,
    'provenance:status': run.completion?.status,
    'provenance:codeCommit': run.codeCommit,
  });
  for (const input of run.inputs) {
    prov.relation('used', { 'prov:activity': run.id, 'prov:entity': input.sliceId, 'prov:role': input.role });
  }
  if (run.owner) {
    prov.agent(agentId(run.owner), 'prov:Agent', { 'prov:label': run.owner });
    prov.relation('wasAssociatedWith', {
      'prov:activity': run.id,
      'prov:agent': agentId(run.owner),
      'prov:plan': pipeline?.id ?? run.pipelineId,
    });
  }
  if (!modelVersion) return;
  prov.relation('wasGeneratedBy', {
    'prov:entity': modelVersion.id,
    'prov:activity': run.id,
    'prov:time': run.completion?.endedAt,
  });
  for (const input of run.inputs) {
    prov.relation('wasDerivedFrom', {
      'prov:generatedEntity': modelVersion.id,
      'prov:usedEntity': input.sliceId,
      'prov:activity': run.id,
    });
  }
}

/** A model version's lineage as PROV-JSON: the model, the run that generated it, its plan, slices and datasets. */
export function modelLineageToProv(lineage: ModelLineageDocument): ProvDocument {
  const prov = new ProvDocumentBuilder();
  addLineage(prov, lineage);
  return prov.document;
}

/**
 * A prediction's trace as PROV-JSON: the prediction, generated by its batch
 * (an activity associated with the deployment, a software agent) using the
 * model version, then the model version's lineage. Sensitive values the
 * trace redacted are not carried over: only ids, digests and times are.
 */
export function traceToProv(trace: PredictionTrace): ProvDocument {
  const prov = new ProvDocumentBuilder();
  const { prediction } = trace;
  prov.entity(prediction.id, 'provenance:Prediction', {
    'provenance:at': dateTime(prediction.at),
    'provenance:inputDigest': prediction.inputDigest,
    'provenance:outputDigest': prediction.outputDigest,
    'provenance:artifactDigest': prediction.artifactDigest,
  });
  prov.activity(prediction.batchId, 'provenance:PredictionBatch', {});
  prov.relation('wasGeneratedBy', {
    'prov:entity': prediction.id,
    'prov:activity': prediction.batchId,
    'prov:time': prediction.at,
  });
  prov.relation('used', {
    'prov:activity': prediction.batchId,
    'prov:entity': prediction.modelVersionId,
    'prov:role': 'model',
  });
  prov.relation('wasDerivedFrom', {
    'prov:generatedEntity': prediction.id,
    'prov:usedEntity': prediction.modelVersionId,
    'prov:activity': prediction.batchId,
  });
  prov.agent(prediction.deploymentId, 'prov:SoftwareAgent', {
    'prov:label': prediction.deploymentId,
    'provenance:endpoint': trace.deployment?.endpoint ?? undefined,
  });
  prov.relation('wasAssociatedWith', { 'prov:activity': prediction.batchId, 'prov:agent': prediction.deploymentId });
  if (!trace.modelVersion) prov.entity(prediction.modelVersionId, 'provenance:ModelVersion');
  addLineage(prov, trace);
  return prov.document;
}
