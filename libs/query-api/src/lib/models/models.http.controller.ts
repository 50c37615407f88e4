import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Principal, mayReadSensitive } from '@prov/auth';
import { PolicyError, ProvenancePolicy, evaluatePolicy, validatePolicy } from '@prov/governance';
import { ApiAnswer, CurrentPrincipal, InvalidRequestError, NotFoundError } from '@prov/http-service';
import type { SigningKeyPair } from '@prov/integrity';
import { attestModelLineage, modelLineageToProv } from '@prov/interop';
import { modelCompleteness, modelLineageOf } from '@prov/lineage-queries';
import type { ModelLineageDocument } from '@prov/projections';
import { ActiveViews } from '../views/active-views';
import { ApiIdParam, checkedId } from '../views/entity-id';
import { CompletenessRequest, PolicyCheckRequest } from './completeness.request';
import { PolicyCatalog } from '@prov/policy-directory';

export const POLICY_CATALOG = Symbol('PolicyCatalog');
export const ATTESTATION_KEY = Symbol('AttestationKey');

@ApiTags('models')
@Controller('v1/models')
export class ModelsHttpController {
  constructor(
    private readonly views: ActiveViews,
    @Inject(POLICY_CATALOG) private readonly policies: PolicyCatalog,
    @Inject(ATTESTATION_KEY) private readonly attestationKey: SigningKeyPair,
  ) {}

  /** A model version's whole upstream closure: run, pipeline, slices, dataset versions, evaluations, stages. */
  @ApiAnswer(200, 'ModelLineageDocument', "The model version's lineage")
  @ApiIdParam('modelVersionId', 'modelVersion')
  @Get(':modelVersionId/lineage')
  async lineage(@Param('modelVersionId') id: string, @CurrentPrincipal() principal: Principal) {
    const lineage = await modelLineageOf(await this.views.current(), checkedId('modelVersionId', id, 'modelVersion'), {
      revealSensitive: mayReadSensitive(principal),
    });
    if (!lineage) throw new NotFoundError(`no model version ${id} is registered`);
    return lineage;
  }

  /** The lineage as a W3C PROV-JSON document (redacted as the lineage is). */
  @ApiAnswer(200, 'ProvDocument', "The model version's lineage as W3C PROV-JSON")
  @ApiIdParam('modelVersionId', 'modelVersion')
  @Get(':modelVersionId/lineage.prov.json')
  async provJson(@Param('modelVersionId') id: string, @CurrentPrincipal() principal: Principal) {
    return modelLineageToProv(await this.lineage(id, principal));
  }

  /**
   * An in-toto Statement v1 whose subject is the model artifact's digest and
   * whose predicate (ModelLineage/v1) carries its lineage, in a DSSE envelope
   * signed with the gateway's Ed25519 key (public key: GET /v1/attestations/keys).
   */
  @ApiAnswer(200, 'DsseEnvelope', "An in-toto statement of the model version's lineage, signed (DSSE)")
  @ApiIdParam('modelVersionId', 'modelVersion')
  @Get(':modelVersionId/attestation')
  async attestation(@Param('modelVersionId') id: string) {
    const { privateKey, keyId } = this.attestationKey;
    return attestModelLineage(
      await this.lineageDocument(checkedId('modelVersionId', id, 'modelVersion')),
      privateKey,
      keyId,
    );
  }

  /**
   * What the capture level needs that the model version's lineage lacks; or,
   * with `policy`, whether it satisfies that policy of PROV_POLICY_DIR,
   * requirement by requirement.
   */
  @ApiAnswer(200, 'ModelCompleteness', "How complete the model version's provenance is, or a policy's verdict on it")
  @ApiIdParam('modelVersionId', 'modelVersion')
  @Get(':modelVersionId/completeness')
  async completeness(@Param('modelVersionId') id: string, @Query() query: CompletenessRequest) {
    const modelVersionId = checkedId('modelVersionId', id, 'modelVersion');
    if (query.policy !== undefined) {
      if (query.level !== undefined)
        throw new InvalidRequestError([
          { path: 'level', problem: 'must not be given with policy (a policy declares its capture level)' },
        ]);
      const policy = this.policies.get(query.policy);
      if (!policy)
        throw new NotFoundError(
          this.policies.directory
            ? `no policy named ${query.policy} in ${this.policies.directory} (known: ${this.policies.names().join(', ') || 'none'})`
            : `no policy named ${query.policy}: the gateway reads policies from PROV_POLICY_DIR, which is not set`,
        );
      return evaluatePolicy(await this.lineageDocument(modelVersionId), policy, { approver: query.approver });
    }
    const completeness = await modelCompleteness(await this.views.current(), modelVersionId, query.level ?? 'standard');
    if (!completeness) throw new NotFoundError(`no model version ${id} is registered`);
    return completeness;
  }

  /** Whether the model version satisfies the policy document in the body (e.g. a pipeline's before it lands). */
  @ApiAnswer(200, 'PolicyEvaluation', "The policy's verdict on the model version")
  @ApiIdParam('modelVersionId', 'modelVersion')
  @Post(':modelVersionId/completeness')
  @HttpCode(200)
  async check(@Param('modelVersionId') id: string, @Body() body: PolicyCheckRequest) {
    const modelVersionId = checkedId('modelVersionId', id, 'modelVersion');
    let policy: ProvenancePolicy;
    try {
      policy = validatePolicy(body.policy, 'policy');
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      throw new InvalidRequestError(
        error.problems.map((p) => ({ path: p.path ? `policy.${p.path}` : 'policy', problem: p.problem })),
      );
    }
    return evaluatePolicy(await this.lineageDocument(modelVersionId), policy, { approver: body.approver });
  }

  private async lineageDocument(modelVersionId: string): Promise<ModelLineageDocument> {
    const views = await this.views.current();
    const lineage = (await views.get('model_lineage', [modelVersionId])).get(modelVersionId);
    if (!lineage) throw new NotFoundError(`no model version ${modelVersionId} is registered`);
    return lineage as ModelLineageDocument;
  }
}
