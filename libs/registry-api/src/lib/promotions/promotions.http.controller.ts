import { Body, Controller, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { modelVersionId, NAME_PATTERN, PROMOTION_STAGES, VERSION_PATTERN } from '@prov/contracts';
import { policyApplies, type PolicyEvaluation } from '@prov/governance';
import {
  ApiAnswer,
  ApiPathParam,
  ApiRefusal,
  CurrentPrincipal,
  InvalidRequestError,
  RequireRoles,
  UnprocessableError,
} from '@prov/http-service';
import { KnownRecords, ProvenancePublisher, UnknownRecordError } from '@prov/publishing';
import type { FastifyReply } from 'fastify';
import { ChangeStageRequest } from './change-stage.request';
import { POLICY_CHECK, PROMOTION_POLICIES, type PolicyCheck, type PromotionPolicies } from './policy-check.port';
import { decidePromotion } from './promotion-decision';

@ApiTags('model versions')
@Controller('v1/models')
@RequireRoles('model-engineer')
export class PromotionsHttpController {
  constructor(
    private readonly publisher: ProvenancePublisher,
    private readonly known: KnownRecords,
    @Inject(PROMOTION_POLICIES) private readonly policies: PromotionPolicies,
    @Inject(POLICY_CHECK) private readonly check: PolicyCheck,
  ) {}

  /**
   * Moves a model version to a stage. A promotion (staging, production) is
   * checked against every policy of PROV_POLICY_DIR that applies to the
   * model: refused with 422 and every failing requirement (and recorded as
   * `model.promotion.rejected`), or recorded as `model.promoted` with each
   * policy's digest. Without an applicable policy, and for archiving, it is
   * a `model.stage.changed`. Nothing is published when the check cannot be made (503).
   */
  @ApiAnswer(201, 'StageChanged', 'The stage change was checked against the policies and recorded')
  @ApiRefusal(422, 'A policy refuses the promotion (each failing requirement named)')
  @ApiPathParam('name', NAME_PATTERN, "The model's name")
  @ApiPathParam('version', VERSION_PATTERN, 'The version')
  @Post(':name/versions/:version/stage')
  async changeStage(
    @Param('name') name: string,
    @Param('version') version: string,
    @Body() body: ChangeStageRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const id = modelVersionId(name, version);
    if (body.approvedBy !== undefined && body.approvedBy !== principal.id)
      throw new InvalidRequestError([
        { path: 'approvedBy', problem: `must be the caller (${principal.id}): an approval is given by whoever asks` },
      ]);
    if (!(await this.known.exists('model.version.registered', id)))
      throw new UnknownRecordError(`no model version ${id} is registered`);
    const promotion = (PROMOTION_STAGES as readonly string[]).includes(body.stage);
    const evaluations: PolicyEvaluation[] = [];
    if (promotion) {
      // One at a time: a failure to check any policy stops the promotion before anything is published.
      for (const policy of this.policies.all().filter((p) => policyApplies(p, { modelName: name }))) {
        evaluations.push(await this.check.evaluate(id, policy, principal.id));
      }
    }
    const decision = decidePromotion({ modelVersionId: id, stage: body.stage, approver: principal.id }, evaluations);
    const published = await this.publisher.publishAll(decision.events, principal);
    if (!decision.accepted) {
      throw new UnprocessableError(
        `${id} does not satisfy ${decision.failures.length === 1 ? 'a requirement' : `${decision.failures.length} requirements`} of the provenance policies for ${body.stage}`,
        decision.failures.map(({ policy, requirement, problem }) => ({
          path: requirement,
          problem: `${problem} (policy ${policy})`,
        })),
      );
    }
    void reply.status(201);
    return {
      id,
      stage: body.stage,
      policies: decision.policies,
      eventIds: published.map((p) => p.event.eventId),
    };
  }
}
