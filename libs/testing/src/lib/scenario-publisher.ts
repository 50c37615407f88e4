import { EventLog, KafkaEventLog, NamespacedEventLog } from '@prov/event-log';
import { integrationEnv } from './integration-env';
import type { ProvenanceScenario } from './provenance-scenario';

/**
 * Creates the platform's topics under `topicPrefix` with `partitions` each and
 * publishes the scenario's messages to them, 100 per request, in order; and
 * the projector's setting that trusts the scenario's signers.
 */
export async function publishScenario(
  scenario: ProvenanceScenario,
  topicPrefix: string,
  partitions: number,
): Promise<void> {
  const log = new NamespacedEventLog(
    await KafkaEventLog.connect({ clientId: 'scenario-publisher', brokers: integrationEnv().kafkaBrokers }),
    topicPrefix,
  );
  try {
    await writeScenario(log, scenario, partitions);
  } finally {
    await log.close();
  }
}

/** Creates the platform's topics on `log` with `partitions` each and publishes the scenario's messages, 100 per request, in order. */
export async function writeScenario(log: EventLog, scenario: ProvenanceScenario, partitions: number): Promise<void> {
  await log.ensureTopics(
    ['training', 'registry', 'inference', 'deadletter', 'audit'].map((t) => ({
      name: `provenance.${t}.v1`,
      partitions,
    })),
  );
  for (const topic of new Set(scenario.messages.map((m) => m.topic))) {
    const messages = scenario.messages.filter((m) => m.topic === topic);
    for (let i = 0; i < messages.length; i += 100) {
      await log.publish(
        topic,
        messages.slice(i, i + 100).map((m) => ({ key: m.key, value: m.value })),
      );
    }
  }
}

/** PROV_TRUSTED_KEYS for a projector that folds the scenario. */
export function scenarioTrustedKeys(scenario: ProvenanceScenario): string {
  return JSON.stringify({
    keys: Object.entries(scenario.signers).map(([service, pair]) => ({ service, pem: pair.publicKeyPem })),
  });
}
