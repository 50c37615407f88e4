import { Body, Controller, Headers, Inject, Post, Res } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { predictionBatchId, predictionId, type PredictionRecordV2 } from '@prov/contracts';
import { digestOnlyPolicies, rawOutputProblems, type ProvenancePolicy } from '@prov/governance';
import {
  CurrentPrincipal,
  InvalidRequestError,
  RequireRoles,
  SchemaValidationPipe,
  UnprocessableError,
} from '@prov/http-service';
import { ProvenancePublisher, uuidFromIdempotencyKey } from '@prov/publishing';
import type { FastifyReply } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { RecordPredictionsBody, RecordPredictionsRequest } from './record-predictions.request';
import type { SubjectSealing } from './subject-sealing';

export const SERVING_POLICIES = Symbol('ServingPolicies');
/** The data subjects' keys, or null when this service was given none (then no prediction may name a subject). */
export const SUBJECT_SEALING = Symbol('SubjectSealing');

@ApiTags('predictions')
@Controller('v1')
@RequireRoles('ml-service')
export class PredictionsHttpController {
  /** Per deployment, the policies that allow it only output digests (worked out once: this is the hot path). */
  private readonly digestOnly = new Map<string, string[]>();

  constructor(
    private readonly publisher: ProvenancePublisher,
    @Inject(SERVING_POLICIES) private readonly policies: readonly ProvenancePolicy[],
    @Inject(SUBJECT_SEALING) private readonly sealing: SubjectSealing | null,
  ) {}

  /**
   * One batch becomes one event: accepted whole, once the log acknowledged,
   * or not at all. With an Idempotency-Key a retried batch keeps its batch
   * id; either way the projector counts each prediction id once.
   */
  @Post('predictions::batch') // '::' is a literal ':' in a Fastify route
  @ApiBody({ type: RecordPredictionsRequest })
  async record(
    @Body(new SchemaValidationPipe(RecordPredictionsRequest)) body: RecordPredictionsBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
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
    const recorded =
      aboutSubjects >= 0 && this.sealing ? await this.sealing.seal(predictions as PredictionRecordV2[]) : predictions;
    await this.publisher.publish(
      {
        type: 'prediction.batch.recorded',
        payload: {
          batchId,
          deploymentId,
          modelVersionId: body.modelVersionId,
          artifactDigest: body.artifactDigest,
          predictions: recorded,
        } as never,
      },
      principal,
    );
    void reply.status(201);
    return { accepted: predictions.length, batchId };
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
