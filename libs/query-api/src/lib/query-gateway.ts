import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ApiKeyVerifier } from '@prov/auth';
import { createHttpService } from '@prov/http-service';
import type { SigningKeyPair } from '@prov/integrity';
import type { LineageStore, SubjectKeyStore } from '@prov/lineage-store';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { CompareModule } from './compare/compare.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { DeploymentsModule } from './deployments/deployments.module';
import { EXPLORER_BUILD_DIR, mountExplorerPage } from './explorer/explorer-page';
import { ImpactModule } from './impact/impact.module';
import { LineageModule } from './lineage/lineage.module';
import { ModelsModule } from './models/models.module';
import { PolicyCatalog } from '@prov/policy-directory';
import { PredictionsModule } from './predictions/predictions.module';
import { SessionModule } from './session/session.module';
import { ViewsModule } from './views/views.module';
import { answerSchemas } from '@prov/sdk';

export interface QueryGatewayDependencies {
  store: LineageStore;
  apiKeys: ApiKeyVerifier;
  /** The provenance policies completeness is checked against (none: only capture levels). */
  policies?: PolicyCatalog;
  /** The Ed25519 key model attestations are signed with (see loadSigningKey of libs/http-service). */
  attestationKey: SigningKeyPair;
  /** The data subjects' keys, to open sealed values for auditors (none: they are shown as digests). */
  subjectKeys?: SubjectKeyStore;
  /** The lineage explorer's build, served at `/` (default: the workspace's dist/explorer-web). */
  explorerDirectory?: string;
}

/**
 * The query gateway: traces, lineage graphs, impact, comparisons and alerts,
 * read from the active view generation; the audit log and dead letters beside it. Every route needs an API key; values
 * marked sensitive in the contracts are shown only to auditors, as digests to
 * everyone else. `/` serves the lineage explorer page.
 */
export async function createQueryGateway(deps: QueryGatewayDependencies): Promise<NestFastifyApplication> {
  const app = await createHttpService({
    name: 'query-gateway',
    description: 'Answers what produced a prediction, what a data slice touched, and how two models differ.',
    imports: [
      ViewsModule.forStore(deps.store, deps.subjectKeys),
      PredictionsModule,
      LineageModule,
      ModelsModule.with(deps.policies ?? PolicyCatalog.fromDirectory(undefined), deps.attestationKey),
      ImpactModule,
      CompareModule,
      DeploymentsModule,
      AlertsModule,
      AuditModule.forStore(deps.store),
      DeadLettersModule.forStore(deps.store.deadLetters),
      SessionModule,
    ],
    apiKeys: deps.apiKeys,
    answerSchemas,
    readinessChecks: [
      { name: 'lineage-store', check: async () => (await deps.store.activeGeneration()) !== undefined },
    ],
    bodyLimitBytes: 64 * 1024,
  });
  await mountExplorerPage(app, deps.explorerDirectory ?? EXPLORER_BUILD_DIR);
  return app;
}
