import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { CurrentPrincipal, InvalidRequestError, RequireRoles } from '@prov/http-service';
import { OpenLineageRunEvent, OpenLineageSchemaValidator, datasetVersionsNamedBy, mapRunEvent } from '@prov/interop';
import { KnownRecords, ProvenancePublisher } from '@prov/publishing';
import type { FastifyReply } from 'fastify';

/**
 * OpenLineage ingestion at the HTTP transport's default path, so Airflow,
 * Spark or dbt integrations post here as they would to Marquez. Each
 * RunEvent is checked against the spec's JSON Schema, then published as the
 * datasets and slices it names and as the event itself, kept verbatim.
 */
@ApiTags('openlineage')
@Controller('api/v1/lineage')
@RequireRoles('data-steward')
export class OpenLineageHttpController {
  private readonly schema = new OpenLineageSchemaValidator();

  constructor(
    private readonly publisher: ProvenancePublisher,
    private readonly known: KnownRecords,
  ) {}

  @Post()
  async ingest(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const problems = this.schema.validate(body);
    if (problems.length > 0) throw new InvalidRequestError(problems);
    const event = body as OpenLineageRunEvent;
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
    };
  }
}
