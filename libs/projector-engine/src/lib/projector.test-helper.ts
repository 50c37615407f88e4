import type { EventLog } from '@prov/event-log';
import { generateSigningKeyPair } from '@prov/integrity';
import type { LineageStore } from '@prov/lineage-store';
import type { ProvenanceScenario } from '@prov/testing';
import { TrustedKeys } from './decoding/trusted-keys';
import { createProjector, type ProjectorDependencies } from './projector-service';

const projectorKey = generateSigningKeyPair();

/** A projector on `log` and `store` that trusts the scenario's producers and signs with a key of the tests'. */
export function scenarioProjector(
  log: EventLog,
  store: LineageStore,
  scenario: Pick<ProvenanceScenario, 'signers'>,
  options: Partial<ProjectorDependencies> = {},
): ReturnType<typeof createProjector> {
  return createProjector({
    log,
    store,
    trustedKeys: TrustedKeys.fromPem(
      Object.entries(scenario.signers).map(([service, pair]) => ({ service, pem: pair.publicKeyPem })),
    ),
    requireSignatures: true,
    signer: { keyId: projectorKey.keyId, privateKey: projectorKey.privateKey },
    maxBatchSize: 50,
    // Small, so that the specs fold through the cache of the lineage and see it drop entries.
    lineageCacheEntries: 200,
    pollIntervalMs: 50,
    ...options,
  });
}

/** Publishes the scenario's messages, topic by topic, in their order. */
export async function publishScenario(log: EventLog, scenario: Pick<ProvenanceScenario, 'messages'>): Promise<void> {
  for (const topic of new Set(scenario.messages.map((m) => m.topic))) {
    await log.publish(
      topic,
      scenario.messages.filter((m) => m.topic === topic).map((m) => ({ key: m.key, value: m.value })),
    );
  }
}
