import { verifyAuditLogs } from '@prov/audit';
import { Topics } from '@prov/contracts';
import { FileEventLog } from '@prov/event-log';
import { generateSigningKeyPair } from '@prov/integrity';
import { InMemoryLineageStore } from '@prov/lineage-store';
import { buildProvenanceScenario } from '@prov/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeadLetterPublisher } from '../dead-letters/dead-letter-publisher';
import { decodeRecord } from '../decoding/record-decoder';
import { TrustedKeys } from '../decoding/trusted-keys';
import { PROJECTED_TOPICS } from '../projection/projected-topics';
import { readAuditEvidence } from './audit-evidence.reader';
import { AuditLogFeed } from './audit-log-feed';

const scenario = buildProvenanceScenario({ predictions: 400, predictionsPerBatch: 50 });
const platformKey = generateSigningKeyPair();
const policy = {
  keys: TrustedKeys.fromPem(
    Object.entries(scenario.signers).map(([service, pair]) => ({ service, pem: pair.publicKeyPem })),
  ),
  requireSignatures: true,
};
const keys = [
  { keyId: platformKey.keyId, service: 'projector', publicKey: platformKey.publicKeyPem },
  ...Object.entries(scenario.signers).map(([service, p]) => ({ keyId: p.keyId, service, publicKey: p.publicKeyPem })),
];

describe('the audit evidence read from the event log', () => {
  let directory: string;
  let log: FileEventLog;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'audit-evidence-'));
    log = await FileEventLog.open(join(directory, 'log'), { fsync: 'never', onConsumerError: () => undefined });
    await log.ensureTopics(
      [...PROJECTED_TOPICS, Topics.audit, Topics.deadLetter].map((name) => ({ name, partitions: 2 })),
    );
    for (const topic of new Set(scenario.messages.map((m) => m.topic))) {
      const messages = scenario.messages.filter((m) => m.topic === topic);
      await log.publish(
        topic,
        messages.map((m) => ({ key: m.key, value: m.value })),
      );
    }
    // What the projector's views feed does with the poison messages.
    const deadLetters = new DeadLetterPublisher(log, 'projector');
    for (const topic of PROJECTED_TOPICS) {
      for (const { partition, latest } of await log.offsets(topic)) {
        const records = Number(latest) > 0 ? await log.read(topic, partition, '0', Number(latest)) : [];
        await deadLetters.publish(
          records.flatMap((record) => {
            const decoded = decodeRecord(record, policy);
            return decoded.kind === 'rejected' ? [{ record, reason: decoded.reason, problems: decoded.problems }] : [];
          }),
        );
      }
    }
    const feed = new AuditLogFeed(log, {
      store: new InMemoryLineageStore().auditLog,
      policy,
      signer: { keyId: platformKey.keyId, privateKey: platformKey.privateKey },
      service: 'projector',
      checkpointEvery: 7,
      checkpointIntervalMs: 3_600_000,
      maxBatchSize: 25,
      pollIntervalMs: 20,
    });
    while ((await feed.catchUp()) > 0);
    await feed.checkpointNow();
  });
  afterAll(async () => {
    await log.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('holds every accepted event and the published checkpoints, and verifies; dead letters are no leaves', async () => {
    const evidence = await readAuditEvidence(log);
    expect(evidence.events).toHaveLength(scenario.messages.filter((m) => m.event).length);
    expect(scenario.poisonCount).toBeGreaterThan(0);
    expect(evidence.checkpoints.length).toBeGreaterThan(3);
    const report = verifyAuditLogs(evidence, { keys });
    expect(report.divergence).toBeUndefined();
    expect(report.logs.filter((l) => l.verifiedTreeSize !== l.events)).toEqual([]);
  });

  it('names an event appended to the log that the projector never accepted', async () => {
    const original = scenario.messages.find((m) => m.event?.type === 'prediction.batch.recorded');
    const forged = JSON.parse(original?.value.toString() ?? '{}');
    forged.payload.predictions[0].outputDigest = `sha256:${'9'.repeat(64)}`;
    const [{ partition, offset }] = await log.publish(Topics.inference, [
      { key: original?.key ?? '', value: Buffer.from(JSON.stringify(forged)) },
    ]);
    const report = verifyAuditLogs(await readAuditEvidence(log), { keys });
    expect(report.divergence).toMatchObject({
      kind: 'payload-digest',
      logId: `auditlog:${Topics.inference}.p${partition}`,
      eventId: forged.eventId,
      expected: forged.integrity.payloadDigest,
    });
    expect(report.divergence?.index).toBe(
      report.logs.find((l) => l.logId === report.divergence?.logId)?.verifiedTreeSize,
    );
    expect(offset).toBeDefined();
  });
});
