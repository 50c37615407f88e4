import { Body, Controller, Logger, Post, Res } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { MAX_KEY_LENGTH, MAX_MAP_ENTRIES } from '@prov/contracts';
import type { Principal } from '@prov/auth';
import { ApiAnswer, ApiRefusal, CurrentPrincipal, InvalidRequestError, RequireRoles } from '@prov/http-service';
import {
  OpenLineageRunEvent,
  OpenLineageSchemaValidator,
  datasetVersionsNamedBy,
  mapRunEvent,
  withoutDeepFacets,
} from '@prov/interop';
import { KnownRecords, ProvenancePublisher } from '@prov/publishing';
import type { FastifyReply } from 'fastify';

/**
 * OpenLineage ingestion at the HTTP transport's default path, so Airflow,
 * Spark or dbt integrations post here as they would to Marquez. Each
 * RunEvent is checked against the spec's JSON Schema, then published as the
 * datasets and slices it names and as the event itself, kept verbatim but
 * for facets nested deeper than an event of the log can hold (a Spark logical
 * plan many nodes deep), which are dropped and named in the answer.
 */

/**
 * A RunEvent as the spec's schema defines it, within what an event of the
 * log holds: at its top level as many keys, each as long, as a JSON map of
 * the contracts may have; a job and datasets with a namespace and a name
 * that are not empty (their records must name them).
 */
const NAMED = { properties: { namespace: { minLength: 1 }, name: { minLength: 1 } } };
const NAMED_DATASETS = { type: 'array', items: NAMED };
const RUN_EVENT_BODY = {
  allOf: [
    { $ref: '#/components/schemas/OpenLineage.RunEvent' },
    {
      maxProperties: MAX_MAP_ENTRIES,
      propertyNames: { minLength: 1, maxLength: MAX_KEY_LENGTH },
      properties: { job: NAMED, inputs: NAMED_DATASETS, outputs: NAMED_DATASETS },
    },
  ],
} as SchemaObject;
@ApiTags('openlineage')
@Controller('api/v1/lineage')
@RequireRoles('data-steward')
export class OpenLineageHttpController {
  private readonly schema = new OpenLineageSchemaValidator();
  private readonly logger = new Logger('openlineage');

  constructor(
    private readonly publisher: ProvenancePublisher,
    private readonly known: KnownRecords,
  ) {}

  @ApiBody({ description: 'An OpenLineage RunEvent (spec 2-0-2)', schema: RUN_EVENT_BODY })
  @ApiAnswer(201, 'OpenLineageAccepted', 'The RunEvent was recorded, with the datasets and slices it names')
  @ApiAnswer(200, 'OpenLineageAccepted', 'The same RunEvent was recorded before; nothing was published')
  @ApiRefusal(409, 'A dataset or slice it names was recorded before with other content')
  @Post()
  async ingest(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const problems = this.schema.validate(body);
    if (problems.length > 0) throw new InvalidRequestError(problems);
    const { event, dropped } = withoutDeepFacets(body as OpenLineageRunEvent);
    if (dropped.length > 0) {
      this.logger.warn(
        `RunEvent of run ${event.run.runId}: dropped ${dropped.map((d) => d.path).join(', ')} (too deep)`,
      );
    }
    const registered = new Set<string>();
    for (const id of datasetVersionsNamedBy(event)) {
      if (await this.known.exists('dataset.version.registered', id)) registered.add(id);
    }
    const { datasets, slices, received } = mapRunEvent(event, {
      registeredDatasetVersions: registered,
      defaultOwner: principal.id,
    });
    // A dataset registered before (here or through /v1/datasets) keeps its record: only new ones are registered.
    for (const dataset of datasets) {
      if (!(await this.known.exists('dataset.registered', dataset.datasetId)))
        await this.publisher.publish({ type: 'dataset.registered', payload: dataset }, principal);
    }
    for (const slice of slices)
      await this.publisher.publish({ type: 'dataset.slice.defined', payload: slice }, principal);
    const published = await this.publisher.publish(
      { type: 'openlineage.run-event.received', payload: received, occurredAt: received.eventTime },
      principal,
    );
    void reply.status(published.created ? 201 : 200);
    return {
      id: received.eventKey,
      created: published.created,
      eventId: published.created ? published.event.eventId : undefined,
      eventTime: received.eventTime,
      // Our clock, beside the producer's: absent on a repeat, which changed nothing.
      receivedAt: published.created ? published.event.recordedAt : undefined,
      inputs: received.inputs,
      outputs: received.outputs,
      sliceIds: slices.map((slice) => slice.sliceId),
      completeness: received.completeness,
      droppedFacets: dropped,
    };
  }
}
