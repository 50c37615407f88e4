import type {
  AlertsAnswer,
  AlertsQuery,
  AttestationKeys,
  AuditBundle,
  AuditLogInfo,
  AuditRebuild,
  AuditRebuildStarted,
  BundleQuery,
  CompletenessQuery,
  ConsistencyProofAnswer,
  DatasetVersionImpact,
  DatasetVersionTimeline,
  DeadLetterPage,
  DeadLettersQuery,
  DeploymentServing,
  DsseEnvelope,
  GenerationsAnswer,
  InclusionProofAnswer,
  LineageComparison,
  LineageGraph,
  LineageQuery,
  LogEventsPage,
  LogEventsQuery,
  LoggedEvent,
  ModelCompleteness,
  ModelLineageDocument,
  PolicyEvaluation,
  PolicyQuery,
  PredictionPage,
  PredictionPageQuery,
  PredictionTrace,
  ProvDocument,
  PublicKeyRecord,
  RebuildStarted,
  SignedCheckpoint,
  SliceImpact,
  SliceTimeline,
  StatusAnswer,
  TimelineQuery,
  TraceQuery,
} from './answers';
import { HttpTransport, TransportOptions } from './http-transport';
import { PredictionRecorder, PredictionRecorderOptions } from './prediction-recorder';
import type {
  ChangeStage,
  CompleteRun,
  CreateDeployment,
  DefineSlice,
  FlagSlice,
  PredictionsAccepted,
  EraseSubject,
  SubjectErased,
  KeyEncryptionKeyRotated,
  RotateKeyEncryptionKey,
  RecordEvaluation,
  RecordPredictions,
  RegisterDataset,
  RegisterDatasetVersion,
  RegisterModelVersion,
  RegisterPipeline,
  Registered,
  ReviseDeployment,
  RevokeModelVersion,
  StageChanged,
  StartRun,
} from './requests';

export interface ProvenanceClientOptions extends TransportOptions {
  /** Where each producer service listens, e.g. http://127.0.0.1:8081. */
  trainingUrl?: string;
  registryUrl?: string;
  inferenceUrl?: string;
  /** The query gateway, e.g. http://127.0.0.1:8085. */
  gatewayUrl?: string;
  /** The projector, e.g. http://127.0.0.1:8084 (its generation routes need the auditor role). */
  projectorUrl?: string;
}

type Service = 'training' | 'registry' | 'inference' | 'gateway' | 'projector';

interface CallOptions {
  /** Makes a retry of this call from your side a no-op too (otherwise one is generated per call). */
  idempotencyKey?: string;
}

const segment = encodeURIComponent;

/** The query string of the parameters that are given (an absent one leaves the gateway's default). */
function queryString(parameters: Record<string, string | number | undefined>): string {
  const given = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) given.set(name, String(value));
  const text = given.toString();
  return text ? `?${text}` : '';
}

/** A typed client of the platform's producer services, its query gateway and its projector. */
export class ProvenanceClient {
  private readonly transport: HttpTransport;

  constructor(private readonly options: ProvenanceClientOptions) {
    this.transport = new HttpTransport(options);
  }

  readonly datasets = {
    register: (body: RegisterDataset, o?: CallOptions) => this.write('training', '/v1/datasets', body, o),
    registerVersion: (datasetId: string, body: RegisterDatasetVersion, o?: CallOptions) =>
      this.write('training', `/v1/datasets/${segment(datasetId)}/versions`, body, o),
  };

  readonly slices = {
    define: (body: DefineSlice, o?: CallOptions) => this.write('training', '/v1/slices', body, o),
    flag: (sliceId: string, body: FlagSlice, o?: CallOptions) =>
      this.write('training', `/v1/slices/${segment(sliceId)}/flag`, body, o),
  };

  readonly pipelines = {
    register: (body: RegisterPipeline, o?: CallOptions) => this.write('training', '/v1/pipelines', body, o),
  };

  readonly runs = {
    start: (body: StartRun, o?: CallOptions) => this.write('training', '/v1/runs', body, o),
    complete: (runId: string, body: CompleteRun, o?: CallOptions) =>
      this.write('training', `/v1/runs/${segment(runId)}/complete`, body, o),
  };

  readonly evaluations = {
    record: (body: RecordEvaluation, o?: CallOptions) => this.write('training', '/v1/evaluations', body, o),
  };

  readonly models = {
    registerVersion: (name: string, body: RegisterModelVersion, o?: CallOptions) =>
      this.write('registry', `/v1/models/${segment(name)}/versions`, body, o),
    /**
     * Moves a model version to a stage; a promotion refused by a provenance
     * policy throws a ProvenanceApiError of status 422 whose details name each failing requirement.
     */
    changeStage: async (name: string, version: string, body: ChangeStage, o?: CallOptions): Promise<StageChanged> =>
      (
        await this.transport.post<StageChanged>(
          this.url('registry', `/v1/models/${segment(name)}/versions/${segment(version)}/stage`),
          body,
          o?.idempotencyKey,
        )
      ).body,
    revoke: (name: string, version: string, body: RevokeModelVersion, o?: CallOptions) =>
      this.write('registry', `/v1/models/${segment(name)}/versions/${segment(version)}/revoke`, body, o),
  };

  readonly deployments = {
    create: (body: CreateDeployment, o?: CallOptions) => this.write('registry', '/v1/deployments', body, o),
    revise: (name: string, body: ReviseDeployment, o?: CallOptions) =>
      this.write('registry', `/v1/deployments/${segment(name)}/revisions`, body, o),
  };

  readonly predictions = {
    /**
     * One batch of up to 10,000 predictions, as it is. Predictions recorded before with the same
     * content are skipped (`duplicates`); one recorded with other content throws a ProvenanceApiError
     * of status 409 whose details (PredictionConflict) name it, and nothing of the batch is recorded.
     */
    recordBatch: async (body: RecordPredictions, o?: CallOptions): Promise<PredictionsAccepted> =>
      (
        await this.transport.post<PredictionsAccepted>(
          this.url('inference', '/v1/predictions:batch'),
          body,
          o?.idempotencyKey,
        )
      ).body,
    /**
     * Erases a data subject (a data steward's call): destroys the subject's keys, so every
     * output and feature snapshot sealed for them shows as its digest only, from now on. A subject
     * erased before, with no key since, is answered with that erasure; one never seen is a 404.
     */
    eraseSubject: async (dataSubject: string, body: EraseSubject): Promise<SubjectErased> =>
      (
        await this.transport.post<SubjectErased>(
          this.url('inference', `/v1/subjects/${segment(dataSubject)}/erasure`),
          body,
        )
      ).body,
    /**
     * Rotates the key-encryption key (a data steward's call): every live subject key is wrapped
     * again under a new one and the old ones are destroyed, so that nothing an erased subject's key
     * left in the store's files or backups can be unwrapped.
     */
    rotateKeyEncryptionKey: async (body: RotateKeyEncryptionKey): Promise<KeyEncryptionKeyRotated> =>
      (
        await this.transport.post<KeyEncryptionKeyRotated>(
          this.url('inference', '/v1/key-encryption-keys/rotation'),
          body,
        )
      ).body,
    /** A recorder that batches predictions by size and time (see PredictionRecorder). */
    recorder: (options: Omit<PredictionRecorderOptions, 'send'>) =>
      new PredictionRecorder({
        ...options,
        send: (batch, key) => this.predictions.recordBatch(batch, { idempotencyKey: key }),
      }),
  };

  /** Reads of the query gateway, over the active view generation. */
  readonly queries = {
    /** What produced a prediction, link by link, with what is missing. */
    trace: (predictionId: string, q: TraceQuery = {}) =>
      this.read<PredictionTrace>('gateway', `/v1/predictions/${segment(predictionId)}/trace`, { level: q.level }),
    /** The lineage graph around a node, as nodes and edges. */
    lineage: (nodeId: string, q: LineageQuery = {}) =>
      this.read<LineageGraph>('gateway', `/v1/lineage/${segment(nodeId)}`, {
        direction: q.direction,
        depth: q.depth,
        maxNodes: q.maxNodes,
      }),
    /** The model versions and deployments a slice touched, and their predictions by model version. */
    sliceImpact: (sliceId: string) => this.read<SliceImpact>('gateway', `/v1/slices/${segment(sliceId)}/impact`),
    /** The impact of every slice of a dataset version. */
    datasetVersionImpact: (datasetVersionId: string) =>
      this.read<DatasetVersionImpact>('gateway', `/v1/dataset-versions/${segment(datasetVersionId)}/impact`),
    /** The predictions of the model versions a slice trained, per hour, day or week, by model version and in total. */
    sliceTimeline: (sliceId: string, q: TimelineQuery = {}) =>
      this.read<SliceTimeline>('gateway', `/v1/slices/${segment(sliceId)}/impact/timeline`, { bucket: q.bucket }),
    /** The same over every slice of a dataset version. */
    datasetVersionTimeline: (datasetVersionId: string, q: TimelineQuery = {}) =>
      this.read<DatasetVersionTimeline>(
        'gateway',
        `/v1/dataset-versions/${segment(datasetVersionId)}/impact/timeline`,
        { bucket: q.bucket },
      ),
    /** The ids of the predictions a slice touched, a page at a time (pass `nextCursor` on). */
    slicePredictions: (sliceId: string, q: PredictionPageQuery = {}) =>
      this.read<PredictionPage>('gateway', `/v1/slices/${segment(sliceId)}/impact/predictions`, {
        cursor: q.cursor,
        limit: q.limit,
      }),
    /** A deployment's serving windows and the model version it serves now. */
    deployment: (deploymentId: string) =>
      this.read<DeploymentServing>('gateway', `/v1/deployments/${segment(deploymentId)}`),
    /** Whether two deployments or model versions share their data snapshot, and every difference by path. */
    compare: (left: string, right: string) => this.read<LineageComparison>('gateway', '/v1/compare', { left, right }),
    /** A model version's whole upstream closure. */
    modelLineage: (modelVersionId: string) =>
      this.read<ModelLineageDocument>('gateway', `/v1/models/${segment(modelVersionId)}/lineage`),
    /** A model version's lineage as a W3C PROV-JSON document. */
    modelLineageProvJson: (modelVersionId: string) =>
      this.read<ProvDocument>('gateway', `/v1/models/${segment(modelVersionId)}/lineage.prov.json`),
    /** A prediction's trace as a W3C PROV-JSON document. */
    traceProvJson: (predictionId: string, q: TraceQuery = {}) =>
      this.read<ProvDocument>('gateway', `/v1/predictions/${segment(predictionId)}/trace.prov.json`, {
        level: q.level,
      }),
    /** The in-toto Statement (ModelLineage/v1) of a model version's artifact, in a DSSE envelope signed by the gateway. */
    modelAttestation: (modelVersionId: string) =>
      this.read<DsseEnvelope>('gateway', `/v1/models/${segment(modelVersionId)}/attestation`),
    /** The public keys that verify the gateway's attestations. */
    attestationKeys: () => this.read<AttestationKeys>('gateway', '/v1/attestations/keys'),
    /** What the capture level needs that the model version's lineage lacks. */
    modelCompleteness: (modelVersionId: string, q: CompletenessQuery = {}) =>
      this.read<ModelCompleteness>('gateway', `/v1/models/${segment(modelVersionId)}/completeness`, {
        level: q.level,
      }),
    /** Whether a model version satisfies a policy of the gateway's policy directory, requirement by requirement. */
    policyEvaluation: (modelVersionId: string, q: PolicyQuery) =>
      this.read<PolicyEvaluation>('gateway', `/v1/models/${segment(modelVersionId)}/completeness`, {
        policy: q.policy,
        approver: q.approver,
      }),
    /** Whether a model version satisfies the policy document given here (as a CI pipeline checks before promoting). */
    checkPolicy: async (modelVersionId: string, policy: object, approver?: string): Promise<PolicyEvaluation> =>
      (
        await this.transport.post<PolicyEvaluation>(
          this.url('gateway', `/v1/models/${segment(modelVersionId)}/completeness`),
          approver === undefined ? { policy } : { policy, approver },
        )
      ).body,
    /** Open lineage alerts, oldest first. */
    alerts: (q: AlertsQuery = {}) => this.read<AlertsAnswer>('gateway', '/v1/alerts', { type: q.type, since: q.since }),
    /** The messages the projector refused, newest first, a page at a time (role auditor; pass `nextCursor` on). */
    deadLetters: (q: DeadLettersQuery = {}) =>
      this.read<DeadLetterPage>('gateway', '/v1/dead-letters', {
        reason: q.reason,
        topic: q.topic,
        cursor: q.cursor,
        limit: q.limit,
      }),
  };

  /** The tamper-evident audit log of the query gateway (the API key needs the auditor role). */
  readonly audit = {
    logs: () => this.read<{ logs: AuditLogInfo[] }>('gateway', '/v1/audit/logs'),
    /** The keys that signed the checkpoints and the logged events. */
    keys: () => this.read<{ keys: PublicKeyRecord[] }>('gateway', '/v1/audit/keys'),
    latestCheckpoints: () => this.read<{ checkpoints: SignedCheckpoint[] }>('gateway', '/v1/audit/checkpoints/latest'),
    /** Every checkpoint of a log, oldest first. */
    checkpoints: (logId: string) =>
      this.read<{ checkpoints: SignedCheckpoint[] }>('gateway', `/v1/audit/logs/${segment(logId)}/checkpoints`),
    /** A page of a log's events as published, with their stored leaves, in log order. */
    logEvents: (logId: string, q: LogEventsQuery = {}) =>
      this.read<LogEventsPage>('gateway', `/v1/audit/logs/${segment(logId)}/events`, { from: q.from, limit: q.limit }),
    /** One logged event as published, with its place in its log and its stored leaf. */
    event: (eventId: string) =>
      this.read<Required<LoggedEvent> & { eventId: string }>('gateway', `/v1/audit/events/${segment(eventId)}`),
    proof: (eventId: string, q: { treeSize?: number } = {}) =>
      this.read<InclusionProofAnswer>('gateway', `/v1/audit/events/${segment(eventId)}/proof`, {
        treeSize: q.treeSize,
      }),
    consistency: (logId: string, from: number, to: number) =>
      this.read<ConsistencyProofAnswer>('gateway', '/v1/audit/consistency', { log: logId, from, to }),
    /** A prediction's self-contained audit bundle, for `verifyBundle` of libs/audit (or `prov audit verify --bundle`). */
    bundle: (predictionId: string, q: BundleQuery = {}) =>
      this.read<AuditBundle>('gateway', `/v1/audit/predictions/${segment(predictionId)}/bundle`, {
        level: q.level,
        redact: q.redact === undefined ? undefined : String(q.redact),
      }),
  };

  /** The projector's view generations (the API key needs the auditor role). */
  readonly generations = {
    list: () => this.read<GenerationsAnswer>('projector', '/v1/generations'),
    /**
     * Replays every topic into a new generation, activated once it has caught
     * up. The projector does not deduplicate by Idempotency-Key, so a retry
     * after a lost answer may start a second rebuild.
     */
    rebuild: async (): Promise<RebuildStarted> =>
      (await this.transport.post<RebuildStarted>(this.url('projector', '/v1/generations/rebuild'), {})).body,
    /** Folds what was recorded up to `asOf` into `audit-<name>`, which queries never read. */
    auditRebuild: async (body: AuditRebuild): Promise<AuditRebuildStarted> =>
      (await this.transport.post<AuditRebuildStarted>(this.url('projector', '/v1/generations/audit'), body)).body,
  };

  /**
   * What the event log and the views hold: records per topic, documents per
   * view of the active generation, bytes on disk, and the records the active
   * generation has still to fold (the API key needs the auditor role).
   */
  status(): Promise<StatusAnswer> {
    return this.read<StatusAnswer>('projector', '/v1/status');
  }

  private async read<T>(
    service: 'gateway' | 'projector',
    path: string,
    parameters: Record<string, string | number | undefined> = {},
  ): Promise<T> {
    return this.transport.get<T>(this.url(service, path + queryString(parameters)));
  }

  private async write(
    service: 'training' | 'registry',
    path: string,
    body: unknown,
    o?: CallOptions,
  ): Promise<Registered> {
    const { body: answer } = await this.transport.post<Registered>(this.url(service, path), body, o?.idempotencyKey);
    return { id: answer.id, created: answer.created };
  }

  private url(service: Service, path: string): string {
    const base = {
      training: this.options.trainingUrl,
      registry: this.options.registryUrl,
      inference: this.options.inferenceUrl,
      gateway: this.options.gatewayUrl,
      projector: this.options.projectorUrl,
    }[service];
    if (!base) throw new Error(`no ${service}Url was given to the ProvenanceClient`);
    return base.replace(/\/+$/, '') + path;
  }
}
