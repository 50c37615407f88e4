import { Logger } from '@nestjs/common';
import { exitOnSignals, loadApiKeys, loadConfig, loadSigningKey, eventLogSettings } from '@prov/http-service';
import { openEventLog } from '@prov/event-log';
import { startLogging } from '@prov/logging';
import { parseArgs } from 'node:util';
import {
  alertWebhookSettings,
  auditLogGroupId,
  lineageCacheEntries,
  loadTrustedKeys,
  ProjectorConfig,
  createProjector,
  createProjectorHttp,
  openLineageStore,
} from '@prov/projector-engine';

const USAGE = `usage: projector [run]                          fold the topics into the active generation, serve /metrics and the generations API
       projector rebuild                        replay every topic into a new generation, activate it once caught up
       projector audit-rebuild --as-of <time> --name <name>
                                                fold what was recorded up to <time> into generation audit-<name>`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'as-of': { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean' } },
  });
  const command = positionals[0] ?? 'run';
  if (values.help || !['run', 'rebuild', 'audit-rebuild'].includes(command) || positionals.length > 1) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const config = loadConfig(ProjectorConfig);
  const nestLogger = new Logger('projector');
  if (command !== 'run' && config.PROV_STORE !== 'mongodb') {
    throw new Error(
      `'projector ${command}' builds into a shared store: set PROV_STORE=mongodb. With the embedded stores, ask the running projector (POST /v1/generations/rebuild or /v1/generations/audit).`,
    );
  }

  const store = await openLineageStore(config);
  const log = await openEventLog(eventLogSettings(config, 'projector'));
  const keys = loadSigningKey('projector', config, nestLogger);
  const { projector, metrics, auditLog, deadLetters } = await createProjector({
    log,
    store,
    trustedKeys: loadTrustedKeys(config),
    requireSignatures: config.PROV_REQUIRE_SIGNATURES,
    signer: { keyId: keys.keyId, privateKey: keys.privateKey },
    maxBatchSize: config.PROV_PROJECTOR_BATCH_SIZE,
    lineageCacheEntries: lineageCacheEntries(config),
    pollIntervalMs: config.PROV_PROJECTOR_POLL_MS,
    stallSeconds: config.PROV_PROJECTOR_STALL_SECONDS,
    auditGenerationsKept: config.PROV_PROJECTOR_AUDIT_GENERATIONS,
    auditCheckpointEvery: config.PROV_AUDIT_CHECKPOINT_EVERY,
    auditCheckpointIntervalMs: config.PROV_AUDIT_CHECKPOINT_SECONDS * 1000,
    alertWebhook: alertWebhookSettings(config),
    // Replicas on Kafka share the audit log's partitions as they share the views'.
    ...(config.PROV_EVENT_LOG === 'kafka' ? { auditGroupId: auditLogGroupId(config.PROV_TOPIC_PREFIX) } : {}),
  });
  const steps = [
    { name: 'audit log', stop: () => auditLog.stop() },
    { name: 'dead letters', stop: () => deadLetters.stop() },
    { name: 'projector', stop: () => projector.stop() },
    { name: 'event log', stop: () => log.close() },
    { name: 'store', stop: () => store.close() },
  ];
  const close = async () => {
    for (const { stop } of steps) await stop();
  };

  if (command === 'rebuild') {
    const generation = await projector.rebuild();
    console.log(JSON.stringify({ generation, status: 'active' }));
    await close();
    return;
  }
  if (command === 'audit-rebuild') {
    if (!values['as-of'] || !values.name) throw new Error(`audit-rebuild needs --as-of and --name\n${USAGE}`);
    const result = await projector.auditRebuild(values['as-of'], values.name);
    console.log(JSON.stringify(result));
    await close();
    return;
  }

  const app = await createProjectorHttp(projector, { log, store, apiKeys: loadApiKeys(config), metrics });
  await app.listen(config.PROV_PROJECTOR_PORT, config.PROV_HOST);
  nestLogger.log(`listening on http://${config.PROV_HOST}:${config.PROV_PROJECTOR_PORT}`);
  exitOnSignals([{ name: 'HTTP server', stop: () => app.close() }, ...steps], config.PROV_SHUTDOWN_TIMEOUT_MS, logger);
  // The audit log and the dead letters are folded only by the live projector (rebuilds fold views, never these).
  await auditLog.start();
  await deadLetters.start();
  await projector.runLive();
}

const logger = startLogging('projector');
main().catch((error: Error) => {
  logger.fatal(error.message);
  process.exit(1);
});
