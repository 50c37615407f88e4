import { Body, Controller, Headers, Inject, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { predictionBatchId, predictionId, type PredictionRecordV2 } from '@prov/contracts';
import { digestOnlyPolicies, rawOutputProblems, type ProvenancePolicy } from '@prov/governance';
import {
  ApiErrorBodySchema,
  CurrentPrincipal,
  InvalidRequestError,
  RequireRoles,
  SchemaValidationPipe,
  UnprocessableError,
} from '@prov/http-service';
import { uuidFromIdempotencyKey } from '@prov/publishing';
import type { FastifyReply } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { RecordPredictionsBody, RecordPredictionsRequest } from './record-predictions.request';
import {
  PredictionConflictBodySchema,
  PredictionsAlreadyRecordedSchema,
  PredictionsRecordedSchema,
} from './record-predictions.response';
import { RecordPredictionsService } from './record-predictions.service';
import { SUBJECT_SEALING, type SubjectSealing } from './subject-sealing';
import { MAX_OUTPUT_BYTES, outputsOver } from './output-size';
import { OutputTooLargeError } from './predictions.errors';

export const SERVING_POLICIES = Symbol('ServingPolicies');

@ApiTags('predictions')
@Controller('v1')
@RequireRoles('ml-service')
export class PredictionsHttpController {
  /** Per deployment, the policies that allow it only output digests (worked out once: this is the hot path). */
  private readonly digestOnly = new Map<string, string[]>();

  constructor(
    private readonly recorder: RecordPredictionsService,
    @Inject(SERVING_POLICIES) private readonly policies: readonly ProvenancePolicy[],
    @Inject(SUBJECT_SEALING) private readonly sealing: SubjectSealing | null,
    @Inject(MAX_OUTPUT_BYTES) private readonly maxOutputBytes: number,
  ) {}

  /**
   * One batch becomes one event, accepted whole once the log acknowledged, or
   * not at all. A prediction recorded before with the same content (a re-send)
   * is skipped, one recorded with other content refuses the request. With an
   * Idempotency-Key a retried batch keeps its batch id.
   */
  @Post('predictions::batch') // '::' is a literal ':' in a Fastify route
  @ApiBody({ type: RecordPredictionsRequest })
  @ApiCreatedResponse({
    description: 'The predictions not recorded before were published as one batch',
    type: PredictionsRecordedSchema,
  })
  @ApiOkResponse({
    description: 'Every prediction was recorded before with the same content; nothing was published',
    type: PredictionsAlreadyRecordedSchema,
  })
  @ApiBadRequestResponse({
    description: 'The body is not a valid batch (each problem with its path)',
    type: ApiErrorBodySchema,
  })
  @ApiUnauthorizedResponse({ description: 'No valid API key', type: ApiErrorBodySchema })
  @ApiForbiddenResponse({ description: 'The API key is not an ml-service key', type: ApiErrorBodySchema })
  @ApiConflictResponse({
    description: 'Predictions recorded before with other content, each named; nothing was published',
    type: PredictionConflictBodySchema,
  })
  @ApiPayloadTooLargeResponse({
    description: 'The body is over the size limit, or a raw output over PROV_MAX_OUTPUT_BYTES (each named)',
    type: ApiErrorBodySchema,
  })
  @ApiUnprocessableEntityResponse({
    description:
      'Raw outputs a policy refuses, predictions about a data subject without a key store, or an Idempotency-Key used for another batch',
    type: ApiErrorBodySchema,
  })
  @ApiServiceUnavailableResponse({
    description: 'The event log (or the record of earlier predictions) did not answer; nothing was accepted, retry',
    type: ApiErrorBodySchema,
  })
  async record(
    @Body(new SchemaValidationPipe(RecordPredictionsRequest)) body: RecordPredictionsBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PredictionsRecordedSchema | PredictionsAlreadyRecordedSchema> {
    const oversized = outputsOver(body.predictions, this.maxOutputBytes);
    if (oversized.length > 0) {
      throw new OutputTooLargeError(this.maxOutputBytes, oversized);
    }
    const seen = new Map<string, number>();
    const predictions = body.predictions.map((p, i) => {
      const id = predictionId(p.id);
      const first = seen.get(id);
      if (first !== undefined) {
        throw new InvalidRequestError([
          {
            path: `predictions[${i}].id`,
            problem: `id ${p.id} appears twice in the batch (first at predictions[${first}])`,
          },
        ]);
      }
      seen.set(id, i);
      const { id: _id, ...rest } = p;
      return { predictionId: id, ...rest };
    });
    const batchId = predictionBatchId(
      idempotencyKey ? uuidFromIdempotencyKey(principal.id, 'prediction-batch', idempotencyKey) : uuidv7(),
    );
    const deploymentId = body.deployment.startsWith('deployment:') ? body.deployment : `deployment:${body.deployment}`;
    const raw = rawOutputProblems(body.predictions, this.digestOnlyPoliciesOf(deploymentId));
    if (raw.length > 0)
      throw new UnprocessableError(`${raw.length} prediction(s) carry a raw output: ${raw[0].problem}`, raw);
    const aboutSubjects = body.predictions.findIndex((p) => p.dataSubject !== undefined);
    if (aboutSubjects >= 0 && !this.sealing) {
      throw new UnprocessableError('this inference service has no store for data-subject keys', [
        {
          path: `predictions[${aboutSubjects}].dataSubject`,
          problem: 'predictions about a data subject need a subject key store (MONGODB_URI, or the data directory)',
        },
      ]);
    }
    const outcome = await this.recorder.record(
      {
        batchId,
        deploymentId,
        modelVersionId: body.modelVersionId,
        artifactDigest: body.artifactDigest,
        predictions: predictions as PredictionRecordV2[],
      },
      principal,
    );
    if (!outcome.published) {
      void reply.status(200);
      return { accepted: 0, duplicate: true, duplicates: outcome.duplicates, batchId: outcome.batchId };
    }
    void reply.status(201);
    return { accepted: outcome.accepted, batchId: outcome.batchId, duplicates: outcome.duplicates };
  }

  private digestOnlyPoliciesOf(deploymentId: string): string[] {
    let names = this.digestOnly.get(deploymentId);
    if (!names) {
      names = digestOnlyPolicies(this.policies, deploymentId);
      this.digestOnly.set(deploymentId, names);
    }
    return names;
  }
}
