import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { IsEntityId, IsJsonObject, IsTimestamp } from '../validation/validators';
import type { JsonObject } from '../validation/json-value';

/** The run state transitions of the OpenLineage spec (RunEvent.eventType). */
export const OPENLINEAGE_EVENT_TYPES = ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] as const;
export type OpenLineageEventType = (typeof OPENLINEAGE_EVENT_TYPES)[number];

/**
 * How a dataset of an OpenLineage event was tied to a version:
 * `registered`: its datasetVersion facet names one of our dataset versions (a `dsv:` id on the log);
 * `external`: the facet gives an exact version in the producer's own terms (a table snapshot, a commit), which is
 * kept as given but is not a registered snapshot;
 * `unversioned`: no datasetVersion facet, so the dataset is linked to no version (never to "the latest").
 */
export const DATASET_VERSION_RESOLUTIONS = ['registered', 'external', 'unversioned'] as const;
export type DatasetVersionResolution = (typeof DATASET_VERSION_RESOLUTIONS)[number];

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export class OpenLineageJobRef {
  @IsString() @Length(1, 1024) namespace!: string;
  @IsString() @Length(1, 1024) name!: string;
}

/** The job's code, from its sourceCodeLocation facet. */
export class OpenLineageCodeLocation {
  @IsString() @Length(1, 256) type!: string;
  @IsString() @Length(1, 4096) url!: string;
  @IsOptional() @IsString() @Length(1, 1024) version?: string;
}

export class OpenLineageJob extends OpenLineageJobRef {
  /** From the jobType facet, e.g. `BATCH/SPARK/QUERY`. */
  @IsOptional() @IsString() @Length(1, 512) jobType?: string;
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => OpenLineageCodeLocation)
  codeLocation?: OpenLineageCodeLocation;
}

/** The run that spawned this one (parent facet), e.g. the DAG run of a task. */
export class OpenLineageParentRun {
  @IsString() @Matches(UUID, { message: 'runId must be a UUID' }) runId!: string;
  @IsObject() @ValidateNested() @Type(() => OpenLineageJobRef) job!: OpenLineageJobRef;
  @IsOptional() @IsString() @Matches(UUID, { message: 'rootRunId must be a UUID' }) rootRunId?: string;
}

/** One input or output dataset of an OpenLineage event, as mapped onto our records. */
export class OpenLineageDatasetRef {
  @IsString() @Length(1, 1024) namespace!: string;
  @IsString() @Length(1, 1024) name!: string;
  /** Our dataset the OpenLineage namespace and name map to. */
  @IsEntityId('dataset') datasetId!: string;
  @IsIn(DATASET_VERSION_RESOLUTIONS) resolution!: DatasetVersionResolution;
  /** The exact version the producer sent (datasetVersion facet), absent when it sent none. */
  @IsOptional() @IsString() @Length(1, 1024) version?: string;
  /** Set when `resolution` is `registered`. */
  @IsOptional() @IsEntityId('datasetVersion') datasetVersionId?: string;
  /** The data slice its subset facet defines (registered versions only). */
  @IsOptional() @IsEntityId('dataSlice') sliceId?: string;
  /** From the dataSource facet. */
  @IsOptional() @IsString() @Length(1, 4096) dataSource?: string;
  /** Column names of the schema facet, in order. */
  @IsOptional() @IsArray() @ArrayMaxSize(10_000) @IsString({ each: true }) schemaFields?: string[];
}

export class OpenLineageCompleteness {
  /** True when every input is tied to a registered dataset version. */
  @IsBoolean() complete!: boolean;
  /** Paths of the inputs that are not, with why, e.g. `inputs[1]: crm/orders has no datasetVersion facet`. */
  @IsArray() @ArrayMaxSize(10_000) @IsString({ each: true }) missing!: string[];
}

/**
 * `openlineage.run-event.received` v1: an OpenLineage RunEvent accepted at
 * the ingestion route, kept verbatim beside what it was mapped onto. The
 * payload depends on the event alone (our receive time is the envelope's
 * `recordedAt`, the producer's eventTime its `occurredAt`), so the same event
 * posted again is the same record.
 */
export class OpenLineageRunEventReceivedV1 {
  /** `olevent:sha256:<hex>` of the RFC 8785 canonical JSON of the event. */
  @IsEntityId('openLineageEvent') eventKey!: string;
  @IsOptional() @IsIn(OPENLINEAGE_EVENT_TYPES) eventType?: OpenLineageEventType;
  @IsTimestamp() eventTime!: string;
  @IsString() @Length(1, 4096) producer!: string;
  @IsString() @Length(1, 4096) schemaURL!: string;
  @IsString() @Matches(UUID, { message: 'runId must be a UUID' }) runId!: string;
  @IsObject() @ValidateNested() @Type(() => OpenLineageJob) job!: OpenLineageJob;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => OpenLineageParentRun) parent?: OpenLineageParentRun;
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => OpenLineageDatasetRef)
  inputs!: OpenLineageDatasetRef[];
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => OpenLineageDatasetRef)
  outputs!: OpenLineageDatasetRef[];
  @IsObject() @ValidateNested() @Type(() => OpenLineageCompleteness) completeness!: OpenLineageCompleteness;
  /** The event as the producer sent it. */
  @IsJsonObject() event!: JsonObject;
}
