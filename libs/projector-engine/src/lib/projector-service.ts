import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ApiKeyVerifier } from '@prov/auth';
import { ALL_TOPICS, DEFAULT_TOPIC_PARTITIONS, compileCurrentPayloadValidator } from '@prov/contracts';
import { createPublicKey } from 'node:crypto';
import type { EventLog } from '@prov/event-log';
import { createHttpService } from '@prov/http-service';
import type { LineageStore } from '@prov/lineage-store';
import type { EnvelopeSigner } from '@prov/publishing';
import type { DecodingPolicy } from './decoding/record-decoder';
import type { TrustedKey, TrustedKeys } from './decoding/trusted-keys';
import { WebhookAlertNotifier } from './alerts/webhook-alert-notifier';
import { AuditLogFeed } from './audit/audit-log-feed';
import { DeadLetterFeed } from './dead-letters/dead-letter-feed';
import { DeadLetterPublisher } from './dead-letters/dead-letter-publisher';
import { GenerationsModule } from './generations/generations.module';
import { Projector } from './generations/projector';
import { ProjectorMetrics } from './metrics/projector-metrics';
import { StatusModule } from './status/status.module';
import type { FeedProgress } from './projection/generation-feed';
import { answerSchemas } from '@prov/sdk';

export interface ProjectorDependencies {
  log: EventLog;
  store: LineageStore;
  trustedKeys: TrustedKeys;
  requireSignatures: boolean;
  signer: EnvelopeSigner;
  maxBatchSize: number;
  /** PROV_PROJECTOR_LINEAGE_CACHE: lineage view entries kept in memory by the replica folding the lineage (0: none). */
  lineageCacheEntries?: number;
  pollIntervalMs: number;
  /** PROV_PROJECTOR_STALL_SECONDS: a partition (live or catching up) not delivered this long while it has records to fold is rejoined. */
  stallSeconds?: number;
  /** PROV_PROJECTOR_AUDIT_GENERATIONS: audit generations kept once built (10 by default). */
  auditGenerationsKept?: number;
  metrics?: ProjectorMetrics;
  /** Where the alerts the live generation raises are posted (PROV_ALERT_WEBHOOK_URL), each once. */
  alertWebhook?: { url: string; retries: number };
  /** The audit log's checkpoints: after this many new leaves of a log, and this often for a log that grew. */
  auditCheckpointEvery?: number;
  auditCheckpointIntervalMs?: number;
  /** The consumer group the audit log's feed shares the partitions in (see auditLogGroupId); none: it reads them all. */
  auditGroupId?: string;
}

const SERVICE = 'projector';

/**
 * The projector with its decoding policy, dead-letter publisher and metrics, on the topics it needs;
 * the feeds of the audit log and of the dead letters beside it.
 */
export async function createProjector(deps: ProjectorDependencies): Promise<{
  projector: Projector;
  metrics: ProjectorMetrics;
  auditLog: AuditLogFeed;
  deadLetters: DeadLetterFeed;
}> {
  await deps.log.ensureTopics(ALL_TOPICS.map((name) => ({ name, partitions: DEFAULT_TOPIC_PARTITIONS })));
  const policy: DecodingPolicy = {
    keys: deps.trustedKeys,
    requireSignatures: deps.requireSignatures,
    payloadValidators: { 'prediction.batch.recorded': compileCurrentPayloadValidator('prediction.batch.recorded') },
  };
  const metrics = deps.metrics ?? new ProjectorMetrics();
  const logger = new Logger(SERVICE);
  const alertNotifier =
    deps.alertWebhook &&
    new WebhookAlertNotifier({
      url: deps.alertWebhook.url,
      retries: deps.alertWebhook.retries,
      onOutcome: (outcome, alert, detail) => {
        metrics.alertNotifications.inc({ outcome });
        if (outcome === 'failed') logger.warn(`alert ${alert._id} was not posted to the webhook: ${detail}`);
      },
    });
  const projector = new Projector(deps.log, deps.store, {
    policy,
    metrics,
    deadLetters: new DeadLetterPublisher(deps.log, SERVICE, deps.signer),
    maxBatchSize: deps.maxBatchSize,
    lineageCacheEntries: deps.lineageCacheEntries ?? 0,
    pollIntervalMs: deps.pollIntervalMs,
    ...(deps.stallSeconds === undefined ? {} : { stallMs: deps.stallSeconds * 1000 }),
    auditGenerationsKept: deps.auditGenerationsKept,
    onProgress: (p) => logger.log(describeProgress(p)),
    alertNotifier,
    log: (message) => logger.log(message),
  });
  const auditLog = new AuditLogFeed(deps.log, {
    store: deps.store.auditLog,
    policy,
    signer: deps.signer,
    service: SERVICE,
    checkpointEvery: deps.auditCheckpointEvery ?? 1000,
    checkpointIntervalMs: deps.auditCheckpointIntervalMs ?? 30_000,
    maxBatchSize: deps.maxBatchSize,
    ...(deps.auditGroupId === undefined ? {} : { groupId: deps.auditGroupId }),
    pollIntervalMs: Math.min(deps.pollIntervalMs, 1000),
  });
  // Its own key, and any trusted key of the projector (a key it signed with before), vouch for dead letters.
  const ownKey: TrustedKey = {
    keyId: deps.signer.keyId,
    service: SERVICE,
    publicKey: createPublicKey(deps.signer.privateKey),
  };
  const deadLetters = new DeadLetterFeed(deps.log, {
    store: deps.store.deadLetters,
    signers: {
      service: SERVICE,
      keys: (keyId) => (keyId === ownKey.keyId ? ownKey : deps.trustedKeys.get(keyId)),
      requireSignatures: deps.requireSignatures,
    },
    maxBatchSize: deps.maxBatchSize,
    pollIntervalMs: Math.min(deps.pollIntervalMs, 1000),
    onForeignRecord: ({ topic, partition, offset }, problem) =>
      logger.warn(
        `${topic}/${partition}/${offset} is not a dead letter of the projector, so it is not listed: ${problem}`,
      ),
  });
  return { projector, metrics, auditLog, deadLetters };
}

/** The projector's HTTP face: health, readiness, metrics, docs, the generations API and the status of the log and the views. */
export function createProjectorHttp(
  projector: Projector,
  deps: Pick<ProjectorDependencies, 'log' | 'store'> & {
    apiKeys: ApiKeyVerifier;
    metrics: ProjectorMetrics;
  },
): Promise<NestFastifyApplication> {
  return createHttpService({
    name: SERVICE,
    description: 'Folds the provenance topics into the lineage views; rebuilds them, whole or as of a past time.',
    imports: [GenerationsModule.register(projector, deps.store), StatusModule.register(deps.log, deps.store)],
    apiKeys: deps.apiKeys,
    readinessChecks: [
      { name: 'event-log', check: async () => (await deps.log.offsets(ALL_TOPICS[0])).length > 0 },
      { name: 'lineage-store', check: async () => (await deps.store.activeGeneration()) !== undefined },
    ],
    bodyLimitBytes: 64 * 1024,
    metricsRegistry: deps.metrics.registry,
    answerSchemas,
  });
}

export function describeProgress(p: FeedProgress): string {
  const eta = p.etaSeconds === null ? 'unknown' : `${Math.ceil(p.etaSeconds)} s`;
  return `${p.generation}: ${p.processed} records folded, ${Math.round(p.eventsPerSecond)} records/s, lag ${p.lag}, ETA ${eta}`;
}
