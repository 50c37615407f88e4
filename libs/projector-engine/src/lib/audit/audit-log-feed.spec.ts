import { Topics } from '@prov/contracts';
import { FileEventLog } from '@prov/event-log';
import {
  auditLeafHash,
  generateSigningKeyPair,
  merkleRoot,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '@prov/integrity';
import { InMemoryLineageStore, consistencyProofOf, inclusionProofOf } from '@prov/lineage-store';
import { buildProvenanceScenario } from '@prov/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustedKeys } from '../decoding/trusted-keys';
import { decodeRecord } from '../decoding/record-decoder';
import { PROJECTED_TOPICS } from '../projection/projected-topics';
import { AuditLogFeed, auditLogIdOf } from './audit-log-feed';

const scenario = buildProvenanceScenario({ predictions: 3000, predictionsPerBatch: 250 });
const platformKey = generateSigningKeyPair();
const policy = {
  keys: TrustedKeys.fromPem(
    Object.entries(scenario.signers).map(([service, pair]) => ({ service, pem: pair.publicKeyPem })),
  ),
  requireSignatures: true,
};

describe('the audit log feed', () => {
  let directory: string;
  let log: FileEventLog;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'audit-log-'));
    log = await FileEventLog.open(join(directory, 'log'), { fsync: 'never', onConsumerError: () => undefined });
    await log.ensureTopics([...PROJECTED_TOPICS, Topics.audit].map((name) => ({ name, partitions: 3 })));
    // Half the history first; the rest after the first feed has stopped.
    await publish(scenario.messages.slice(0, Math.floor(scenario.messages.length / 2)));
  });
  afterAll(async () => {
    await log.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function publish(messages: typeof scenario.messages) {
    for (const topic of new Set(messages.map((m) => m.topic))) {
      await log.publish(
        topic,
        messages.filter((m) => m.topic === topic).map((m) => ({ key: m.key, value: m.value })),
      );
    }
  }

  const feedOptions = (store: InMemoryLineageStore) => ({
    store: store.auditLog,
    policy,
    signer: { keyId: platformKey.keyId, privateKey: platformKey.privateKey },
    service: 'projector',
    checkpointEvery: 1_000_000,
    checkpointIntervalMs: 3_600_000,
    maxBatchSize: 40,
    pollIntervalMs: 20,
  });
  const feedOn = (store: InMemoryLineageStore) => new AuditLogFeed(log, feedOptions(store));

  /** Each partition's accepted events, hashed here from the records themselves, in offset order. */
  async function expectedLeaves(): Promise<Map<string, { eventIds: string[]; hashes: Buffer[] }>> {
    const logs = new Map<string, { eventIds: string[]; hashes: Buffer[] }>();
    for (const topic of PROJECTED_TOPICS) {
      for (const { partition, latest } of await log.offsets(topic)) {
        const records = Number(latest) > 0 ? await log.read(topic, partition, '0', Number(latest)) : [];
        const accepted = records.filter((r) => decodeRecord(r, policy).kind === 'event');
        logs.set(auditLogIdOf(topic, partition), {
          eventIds: accepted.map((r) => JSON.parse(r.value.toString()).eventId),
          hashes: accepted.map((r) => auditLeafHash(JSON.parse(r.value.toString()))),
        });
      }
    }
    return logs;
  }

  it('appends every accepted event, only those, in partition order; a replay gives the same roots', async () => {
    const store = new InMemoryLineageStore();
    const feed = feedOn(store);
    await feed.catchUp();
    const expected = await expectedLeaves();
    const states = await store.auditLog.states();
    expect(states.map((s) => s.logId).sort()).toEqual(
      [...expected.keys()].filter((id) => expected.get(id)?.hashes.length).sort(),
    );
    for (const state of states) {
      const { hashes } = expected.get(state.logId) ?? { hashes: [] };
      expect({ log: state.logId, size: state.treeSize }).toEqual({ log: state.logId, size: hashes.length });
    }
    // The poison messages are on the inference topic and are not leaves.
    const leaves = states.reduce((sum, s) => sum + s.treeSize, 0);
    expect(leaves).toBe(
      scenario.messages.slice(0, Math.floor(scenario.messages.length / 2)).filter((m) => m.event).length,
    );

    const [checkpoint] = (await feed.checkpointNow()).filter((c) => c.treeSize > 1);
    expect(verifyCheckpoint(checkpoint, platformKey.publicKey)).toBe(true);
    expect(checkpoint.rootHash).toBe(merkleRoot(expected.get(checkpoint.logId)?.hashes ?? []).toString('hex'));
    // Published for anyone who follows the audit topic.
    const published = (await log.offsets(Topics.audit)).reduce((sum, p) => sum + Number(p.latest), 0);
    expect(published).toBe(states.length);

    const again = new InMemoryLineageStore();
    await feedOn(again).catchUp();
    expect(await again.auditLog.states()).toEqual(states);
  });

  it('appends an event id once: copies of accepted events sent again, on any partition, are not leaves', async () => {
    const own = await FileEventLog.open(join(directory, 'replays'), {
      fsync: 'never',
      onConsumerError: () => undefined,
    });
    try {
      await own.ensureTopics([...PROJECTED_TOPICS, Topics.audit].map((name) => ({ name, partitions: 3 })));
      const accepted = scenario.messages.filter((m) => m.event).slice(0, 60);
      for (const topic of new Set(accepted.map((m) => m.topic)))
        await own.publish(
          topic,
          accepted.filter((m) => m.topic === topic).map((m) => ({ key: m.key, value: m.value })),
        );
      const store = new InMemoryLineageStore();
      const feed = new AuditLogFeed(own, { ...feedOptions(store), maxBatchSize: 1000 });
      await feed.catchUp();
      const before = await store.auditLog.states();
      // Genuine, validly signed events re-serialised and sent again, under other keys (so other partitions) too.
      const copies = accepted.slice(0, 12).map((m, i) => ({
        topic: m.topic,
        key: i % 2 === 0 ? m.key : `replay-${i}`,
        value: Buffer.from(JSON.stringify(JSON.parse(m.value.toString()), null, 1)),
      }));
      for (const topic of new Set(copies.map((c) => c.topic)))
        await own.publish(
          topic,
          copies.filter((c) => c.topic === topic).map(({ key, value }) => ({ key, value })),
        );
      await feed.catchUp();
      const after = await store.auditLog.states();
      expect(after.map((s) => [s.logId, s.treeSize])).toEqual(before.map((s) => [s.logId, s.treeSize]));
      // A feed that reads the whole log from the start appends each event once too.
      const fresh = new InMemoryLineageStore();
      await new AuditLogFeed(own, { ...feedOptions(fresh), maxBatchSize: 7 }).catchUp();
      expect((await fresh.auditLog.states()).map((s) => [s.logId, s.treeSize])).toEqual(
        before.map((s) => [s.logId, s.treeSize]),
      );
    } finally {
      await own.close();
    }
  });

  it('keeps each event as published with its leaf, and the keys that signed the log and its events', async () => {
    const store = new InMemoryLineageStore();
    const feed = feedOn(store);
    await feed.start();
    await feed.catchUp();
    await feed.stop();
    const [state] = (await store.auditLog.states()).filter((s) => s.treeSize > 1);
    const records = await store.auditLog.records(state.logId, 0, state.treeSize);
    expect(records.map((r) => r.index)).toEqual([...Array(state.treeSize).keys()]);
    for (const record of records) {
      expect(auditLeafHash(JSON.parse(record.envelope)).toString('hex')).toBe(record.leafHash);
      expect(JSON.parse(record.envelope).eventId).toBe(record.eventId);
    }
    const published = scenario.messages.find((m) => m.event?.eventId === records[0].eventId);
    expect(JSON.parse(records[0].envelope)).toEqual(JSON.parse(published?.value.toString() ?? 'null'));
    const keys = await store.auditLog.keys();
    const signers = scenario.messages
      .slice(0, Math.floor(scenario.messages.length / 2))
      .flatMap((m) => (m.event?.integrity.keyId ? [m.event.integrity.keyId] : []));
    expect(keys.map((k) => k.keyId).sort()).toEqual([...new Set([platformKey.keyId, ...signers])].sort());
    expect(keys.find((k) => k.keyId === platformKey.keyId)).toEqual({
      keyId: platformKey.keyId,
      service: 'projector',
      publicKey: platformKey.publicKeyPem,
    });
  });

  describe('in a consumer group', () => {
    /** Until every partition's log holds what a feed reading the whole log alone appends. */
    async function untilAppended(store: InMemoryLineageStore): Promise<void> {
      const alone = new InMemoryLineageStore();
      await feedOn(alone).catchUp();
      const expected = await alone.auditLog.states();
      for (let waited = 0; ; waited += 50) {
        if (JSON.stringify(await store.auditLog.states()) === JSON.stringify(expected)) return;
        if (waited > 20_000) expect(await store.auditLog.states()).toEqual(expected);
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    it('shares the partitions among its members, whose logs are those one feed appends alone', async () => {
      const store = new InMemoryLineageStore();
      const members = [0, 1].map(() => new AuditLogFeed(log, { ...feedOptions(store), groupId: 'audit-shared' }));
      for (const member of members) await member.start();
      try {
        await untilAppended(store);
        // Each member signs checkpoints of the logs it appended, and only of those.
        const signed = await Promise.all(members.map((member) => member.checkpointNow()));
        expect(signed.map((checkpoints) => checkpoints.length > 0)).toEqual([true, true]);
        const logIds = signed.flat().map((checkpoint) => checkpoint.logId);
        expect(new Set(logIds).size).toBe(logIds.length);
      } finally {
        for (const member of members) await member.stop();
      }
    });

    it("appends what lies between a log's state and a batch the group delivers past it", async () => {
      // The group's offsets ahead of the logs' states: as after a state written late by a member the group left.
      const ahead = await log.consume({
        groupId: 'audit-ahead',
        topics: [...PROJECTED_TOPICS],
        onBatch: async (batch, handle) => {
          const third = batch.records[Math.floor(batch.records.length / 3)];
          await handle.commit([{ topic: batch.topic, partition: batch.partition, offset: third.offset }]);
        },
      });
      await new Promise((r) => setTimeout(r, 500));
      await ahead.stop();
      const store = new InMemoryLineageStore();
      const feed = new AuditLogFeed(log, { ...feedOptions(store), groupId: 'audit-ahead' });
      await feed.start();
      try {
        await untilAppended(store);
      } finally {
        await feed.stop();
      }
    });
  });

  // Folds a signed log three times over: more than jest's default 5 s on a busy machine.
  it('goes on after a restart from its stored state, with the roots of one that never stopped, and proves', async () => {
    const store = new InMemoryLineageStore();
    const first = feedOn(store);
    await first.catchUp();
    const early = await first.checkpointNow();
    await first.stop();

    await publish(scenario.messages.slice(Math.floor(scenario.messages.length / 2)));
    const second = feedOn(store);
    await second.start();
    await second.catchUp();
    const late = await second.checkpointNow();
    await second.stop();

    const expected = await expectedLeaves();
    for (const state of await store.auditLog.states()) {
      expect(state.treeSize).toBe(expected.get(state.logId)?.hashes.length);
    }
    // An early event's inclusion in the latest tree, and the latest tree extending the early one.
    const grown = late.find((c) => early.some((e) => e.logId === c.logId && e.treeSize < c.treeSize));
    if (!grown) throw new Error('no log grew between the checkpoints');
    const { eventIds, hashes } = expected.get(grown.logId) ?? { eventIds: [], hashes: [] };
    for (const index of [0, Math.floor(eventIds.length / 2), eventIds.length - 1]) {
      const proof = await inclusionProofOf(store.auditLog, eventIds[index]);
      if (!('proof' in proof)) throw new Error(`no proof: ${proof.kind}`);
      expect(proof.checkpoint).toEqual(grown);
      const ok = verifyInclusion(
        hashes[index],
        proof.leafIndex,
        proof.treeSize,
        proof.proof.map((h) => Buffer.from(h, 'hex')),
        Buffer.from(grown.rootHash, 'hex'),
      );
      expect(ok).toBe(true);
    }
    const before = early.find((e) => e.logId === grown.logId);
    if (!before) throw new Error('no early checkpoint');
    const consistency = await consistencyProofOf(store.auditLog, grown.logId, before.treeSize, grown.treeSize);
    if (!('proof' in consistency)) throw new Error(`no consistency proof: ${consistency.kind}`);
    expect(
      verifyConsistency(
        before.treeSize,
        grown.treeSize,
        Buffer.from(before.rootHash, 'hex'),
        Buffer.from(grown.rootHash, 'hex'),
        consistency.proof.map((h) => Buffer.from(h, 'hex')),
      ),
    ).toBe(true);
    expect(await inclusionProofOf(store.auditLog, '0190f1a4-0000-7000-8000-000000000000')).toEqual({
      kind: 'unknown-event',
    });
  }, 30_000);
});
