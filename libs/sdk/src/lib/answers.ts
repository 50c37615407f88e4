import type { LoggedEvent, PublicKeyRecord } from '@prov/audit';
import type { OpenLineageRunEventReceivedV1, RejectionReason, ValidationProblem } from '@prov/contracts';
import type { ConsistencyProof, InclusionProof, SignedCheckpoint } from '@prov/integrity';
import type { GraphQuery, TimelineBucket, TraceLevel } from '@prov/lineage-queries';
import type { AlertDocument, AlertType, DeadLetterDocument, ViewName } from '@prov/projections';

/** The gateway answers with the query results as they are; their types come from the queries. */
export type {
  DatasetVersionImpact,
  DatasetVersionTimeline,
  DeploymentServing,
  GraphDirection,
  LineageComparison,
  LineageGraph,
  ModelCompleteness,
  PredictionPage,
  PredictionTrace,
  PredictionTimeline,
  SliceImpact,
  SliceTimeline,
  TimelineBucket,
  TimelinePoint,
  TraceLevel,
} from '@prov/lineage-queries';
export type { AlertDocument, AlertType, DeadLetterDocument, ModelLineageDocument } from '@prov/projections';
export type { PolicyEvaluation, RequirementOutcome } from '@prov/governance';
export type { DsseEnvelope, InTotoStatement, ModelLineagePredicate, ProvDocument } from '@prov/interop';

/** `GET /v1/attestations/keys`: the keys that verify the gateway's attestations. */
export interface AttestationKeys {
  keys: Array<{ keyId: string; algorithm: 'ed25519'; publicKeyPem: string }>;
}
export type { AuditBundle, LoggedEvent, PublicKeyRecord } from '@prov/audit';
export type { SignedCheckpoint } from '@prov/integrity';

export interface PolicyQuery {
  /** The policy's metadata.name in the gateway's PROV_POLICY_DIR. */
  policy: string;
  /** Who would approve the promotion (for separation of duties). */
  approver?: string;
}

export interface TraceQuery {
  /** `standard`: data, pipeline and model; `full` adds hyperparameters, seeds, environment, metrics, outputs. */
  level?: TraceLevel;
}

/** The gateway's defaults: both directions, depth 3, at most 500 nodes. */
export type LineageQuery = Partial<GraphQuery>;

export interface PredictionPageQuery {
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** 1 to 1,000; the gateway's default is 100. */
  limit?: number;
}

export interface TimelineQuery {
  /** `hour`, `day` (UTC) or `week` (ISO, from Monday); the gateway's default is `day`. */
  bucket?: TimelineBucket;
}

export interface CompletenessQuery {
  level?: TraceLevel;
}

export interface AlertsQuery {
  type?: AlertType;
  /** Alerts first raised at or after this ISO 8601 UTC time, e.g. 2026-11-04T12:00:00Z. */
  since?: string;
}

/** Open alerts, oldest first; `truncated` when more than the gateway's 1,000 are open. */
export interface AlertsAnswer {
  alerts: AlertDocument[];
  truncated: boolean;
}

export interface DeadLettersQuery {
  reason?: RejectionReason;
  /** The topic of the refused messages, e.g. provenance.inference.v1. */
  topic?: string;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** 1 to 1,000; the gateway's default is 100. */
  limit?: number;
}

/** `GET /v1/dead-letters`: the messages the projector refused, newest first, each once. */
export interface DeadLetterPage {
  deadLetters: DeadLetterDocument[];
  /** The `cursor` of the next page; null after the last. */
  nextCursor: string | null;
}

/** How far a generation that is catching up has come. */
export interface GenerationProgress {
  processed: number;
  lag: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
}

export interface GenerationInfo {
  name: string;
  /** `live` follows the log; `audit` holds only what was recorded up to `asOf`. */
  kind: 'live' | 'audit';
  createdAt: string;
  asOf?: string;
  caughtUpAt?: string;
  /** Present while the generation catches up. */
  progress?: GenerationProgress;
}

/** The projector's view generations: the one queries read (`active`) and the one it folds live events into. */
export interface GenerationsAnswer {
  active: string | null;
  live: string | null;
  generations: GenerationInfo[];
}

/** The documents each view holds. */
export type DocumentsByView = { [view in ViewName]: number };

/** What the event log holds of one topic. */
export interface TopicStatus {
  topic: string;
  partitions: number;
  records: number;
  /** Null when the log cannot tell (Kafka). */
  bytesOnDisk: number | null;
}

/** `GET /v1/status`: what the event log and the views hold, their size on disk, and what the views have still to fold. */
export interface StatusAnswer {
  eventLog: {
    /** `file`: the embedded log in the data directory; `kafka`: the brokers. */
    kind: 'file' | 'kafka';
    /** Records over every topic. */
    records: number;
    /** Bytes over every topic; null when the log cannot tell (Kafka). */
    bytesOnDisk: number | null;
    topics: TopicStatus[];
  };
  store: {
    /** `lmdb`: the embedded views on disk; `memory`: in the process; `mongodb`: MongoDB or FerretDB. */
    kind: 'memory' | 'lmdb' | 'mongodb';
    /** Bytes the store takes on disk (every generation, the audit log, the dead letters); null in memory. */
    bytesOnDisk: number | null;
    /** The generation queries read; null before the first one is built. */
    activeGeneration: {
      name: string;
      /** Documents over every view. */
      documents: number;
      documentsByView: DocumentsByView;
      /** Records of the projected topics past its saved offsets: what it has still to fold. */
      recordsToFold: number;
    } | null;
  };
}

export interface RebuildStarted {
  generation: string;
  status: 'building';
}

export interface AuditRebuild {
  /** Events recorded up to this ISO 8601 time (with a zone) are folded; later ones are left out. */
  asOf: string;
  /** The audit generation is named `audit-<name>` (1 to 40 of [a-z0-9-]); an earlier one of that name is replaced. */
  name: string;
}

export interface AuditRebuildStarted extends RebuildStarted {
  asOf: string;
}

export interface AuditLogInfo {
  logId: string;
  topic: string;
  partition: number;
  treeSize: number;
}

/** An event's RFC 9162 inclusion proof (hex hashes) at a signed checkpoint of its log. */
export type InclusionProofAnswer = InclusionProof;

export type ConsistencyProofAnswer = ConsistencyProof;

export interface LogEventsPage {
  events: Required<LoggedEvent>[];
  /** The `from` of the next page; null after the last. */
  next: number | null;
}

export interface LogEventsQuery {
  from?: number;
  limit?: number;
}

export interface BundleQuery {
  level?: TraceLevel;
  /** Sensitive values of the trace as their digests. */
  redact?: boolean;
}

/** `GET /v1/audit/logs`: every audit log (one per topic partition) and how many leaves it holds. */
export interface AuditLogsAnswer {
  logs: AuditLogInfo[];
}

/** `GET /v1/audit/keys`: the keys that signed the events and checkpoints. */
export interface AuditKeysAnswer {
  keys: PublicKeyRecord[];
}

/** `GET /v1/audit/checkpoints/latest` and `GET /v1/audit/logs/{logId}/checkpoints`. */
export interface CheckpointsAnswer {
  checkpoints: SignedCheckpoint[];
}

/** `GET /v1/audit/events/{eventId}`: one event as published, with its place in its log. */
export type LoggedEventAnswer = Required<LoggedEvent> & { eventId: string };

/** `GET /v1/session`: who the API key belongs to. */
export interface SessionAnswer {
  principal: string;
  roles: string[];
  /** Whether sensitive values are shown to this key, or only their digests. */
  mayReadSensitive: boolean;
}

/** `POST /api/v1/lineage`: an OpenLineage RunEvent as recorded (201), or as recorded before (200). */
export interface OpenLineageAccepted {
  /** The event's key: the digest of its canonical JSON. */
  id: string;
  created: boolean;
  /** The provenance event that records it; absent on a repeat. */
  eventId?: string;
  eventTime: string;
  /** When the platform received it; absent on a repeat. */
  receivedAt?: string;
  inputs: OpenLineageRunEventReceivedV1['inputs'];
  outputs: OpenLineageRunEventReceivedV1['outputs'];
  /** The slices defined for the dataset versions it read. */
  sliceIds: string[];
  completeness: OpenLineageRunEventReceivedV1['completeness'];
  /** Facets nested deeper than the log holds: dropped, each named by its path. */
  droppedFacets: ValidationProblem[];
}
