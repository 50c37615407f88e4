import { generateSigningKeyPair, payloadDigest, signCheckpoint, signEnvelope } from '@prov/integrity';
import { buildProvenanceScenario } from '@prov/testing';
import type { LoggedEvent } from './audit-evidence';
import { verifyAuditLogs } from './audit-log.verification';
import { LOG_ID, auditTestLog } from './audit-test-log.test-helper';

const scenario = buildProvenanceScenario({
  datasets: 1,
  slicesPerDataset: 2,
  runs: 2,
  modelVersions: 2,
  deployments: 1,
  predictions: 12,
  predictionsPerBatch: 4,
});

describe('verifyAuditLogs', () => {
  const log = auditTestLog(scenario, 8);
  const trust = { keys: log.keys };
  const events = () => structuredClone(log.events);
  type Envelope = { eventId: string; recordedAt: string; payload: Record<string, unknown> };
  const envelope = (e: LoggedEvent) => e.event as Envelope;
  const at = 5;
  const target = log.published[at] as Envelope;

  it('finds nothing wrong with a log as the projector made it, and verifies every checkpoint', () => {
    const report = verifyAuditLogs({ events: events(), checkpoints: log.checkpoints }, trust);
    expect(report.divergence).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.logs).toEqual([
      {
        logId: LOG_ID,
        events: log.events.length,
        checkpoints: log.checkpoints.length,
        verifiedTreeSize: log.events.length,
      },
    ]);
    expect(log.checkpoints.length).toBeGreaterThan(2);
  });

  it('names the event whose payload was changed, with the digest it claims and the one it has', () => {
    const tampered = events();
    const payload = envelope(tampered[at]).payload;
    const field = Object.keys(payload)[0];
    payload[field] = 'changed';
    const report = verifyAuditLogs({ events: tampered, checkpoints: log.checkpoints }, trust);
    expect(report.ok).toBe(false);
    expect(report.divergence).toMatchObject({
      kind: 'payload-digest',
      logId: LOG_ID,
      index: at,
      eventId: target.eventId,
      expected: payloadDigest(target.payload),
      found: payloadDigest(payload),
    });
  });

  it('names an event whose header was changed: its signature no longer holds', () => {
    const tampered = events();
    envelope(tampered[at]).recordedAt = '2020-01-01T00:00:00.000Z';
    expect(verifyAuditLogs({ events: tampered, checkpoints: log.checkpoints }, trust).divergence).toMatchObject({
      kind: 'event-signature',
      index: at,
      eventId: target.eventId,
      found: expect.stringContaining('bad-signature'),
    });
  });

  it('names an event rewritten whole, digest and signature made anew by a key nobody trusts', () => {
    const tampered = events();
    const forger = generateSigningKeyPair();
    const changed = { ...envelope(tampered[at]), payload: { ...target.payload } } as never as Parameters<
      typeof signEnvelope
    >[0];
    tampered[at].event = signEnvelope(
      { ...changed, integrity: { payloadDigest: payloadDigest(changed.payload) } },
      forger.privateKey,
      forger.keyId,
    );
    expect(verifyAuditLogs({ events: tampered, checkpoints: log.checkpoints }, trust).divergence).toMatchObject({
      kind: 'event-signature',
      eventId: target.eventId,
      found: `unknown-key (key ${forger.keyId})`,
    });
  });

  it('tells a stored leaf that was changed from an event that was: the events agree with the signed root', () => {
    const tampered = events();
    tampered[at].leafHash = 'ab'.repeat(32);
    expect(verifyAuditLogs({ events: tampered, checkpoints: log.checkpoints }, trust).divergence).toEqual({
      kind: 'stored-leaf',
      logId: LOG_ID,
      index: at,
      eventId: target.eventId,
      expected: log.leaves[at].toString('hex'),
      found: 'ab'.repeat(32),
      message: expect.stringContaining(`event ${target.eventId}`),
    });
  });

  it('names the place of a dropped event', () => {
    const tampered = events();
    tampered.splice(at, 1);
    expect(verifyAuditLogs({ events: tampered, checkpoints: log.checkpoints }, trust).divergence).toMatchObject({
      kind: 'missing-event',
      index: at,
      eventId: (log.published[at + 1] as Envelope).eventId,
      expected: `leaf ${at}`,
      found: expect.stringContaining(`leaf ${at + 1}`),
    });
  });

  it('names two events that changed places', () => {
    const tampered = events();
    [tampered[at], tampered[at + 1]] = [tampered[at + 1], tampered[at]];
    expect(verifyAuditLogs({ events: tampered, checkpoints: log.checkpoints }, trust).divergence).toMatchObject({
      kind: 'out-of-order',
      index: at,
      eventId: (log.published[at + 1] as Envelope).eventId,
      expected: `leaf ${at} (event ${target.eventId})`,
    });
  });

  it('still finds a dropped or moved event in a bare event stream (no stored leaves): the signed root differs', () => {
    const bare = events().map(({ logId, event }) => ({ logId, event }));
    const dropped = bare.filter((_, i) => i !== at);
    const moved = [...bare];
    [moved[at], moved[at + 1]] = [moved[at + 1], moved[at]];
    const first = log.checkpoints.find((c) => c.treeSize > at) as (typeof log.checkpoints)[number];
    for (const tampered of [dropped, moved]) {
      expect(verifyAuditLogs({ events: tampered, checkpoints: log.checkpoints }, trust).divergence).toMatchObject({
        kind: 'checkpoint-root',
        index: first.treeSize - 1,
        expected: first.rootHash,
      });
    }
    expect(verifyAuditLogs({ events: bare, checkpoints: log.checkpoints }, trust).ok).toBe(true);
  });

  it('names a checkpoint whose signature was forged, or made by a key that signs no checkpoints', () => {
    const forged = structuredClone(log.checkpoints);
    // One character of the signature changed to another (never to itself, whatever the signature).
    const signature = forged[1].signature;
    const flipped = signature[10] === 'A' ? 'B' : 'A';
    forged[1] = { ...forged[1], signature: `${signature.slice(0, 10)}${flipped}${signature.slice(11)}` };
    expect(verifyAuditLogs({ events: events(), checkpoints: forged }, trust).divergence).toMatchObject({
      kind: 'checkpoint-signature',
      index: forged[1].treeSize - 1,
      found: expect.stringContaining('bad-signature'),
    });
    const producer = scenario.signers['inference-service'];
    const byProducer = signCheckpoint(
      { ...log.checkpoints[0], signedAt: '2026-12-01T12:00:00.000Z' },
      producer.privateKey,
      producer.keyId,
    );
    expect(verifyAuditLogs({ events: events(), checkpoints: [byProducer] }, trust).divergence).toMatchObject({
      kind: 'checkpoint-signature',
      found: expect.stringContaining('signs for inference-service'),
    });
  });

  it('names a signed root that the events do not give, a fork, and a checkpoint beyond the log', () => {
    const lying = log.sign(log.checkpoints[0].treeSize);
    const wrongRoot = { ...lying, rootHash: 'cd'.repeat(32) };
    const resigned = signCheckpoint(
      {
        logId: wrongRoot.logId,
        treeSize: wrongRoot.treeSize,
        rootHash: wrongRoot.rootHash,
        signedAt: wrongRoot.signedAt,
      },
      log.projector.privateKey,
      log.projector.keyId,
    );
    expect(verifyAuditLogs({ events: events(), checkpoints: [resigned] }, trust).divergence).toMatchObject({
      kind: 'checkpoint-root',
      expected: 'cd'.repeat(32),
      found: log.checkpoints[0].rootHash,
    });
    expect(
      verifyAuditLogs({ events: events(), checkpoints: [log.checkpoints[0], resigned] }, trust).divergence,
    ).toMatchObject({ kind: 'checkpoint-fork', expected: log.checkpoints[0].rootHash, found: 'cd'.repeat(32) });
    expect(
      verifyAuditLogs({ events: events().slice(0, -1), checkpoints: log.checkpoints }, trust).divergence,
    ).toMatchObject({ kind: 'checkpoint-beyond-log', expected: `${log.events.length} events` });
  });

  it('names an event logged twice: a copy appended again, on its own log or another', () => {
    const copied = scenario.messages.filter((m) => m.event)[3];
    const withCopy = auditTestLog({ ...scenario, messages: [...scenario.messages, copied] }, 8);
    const report = verifyAuditLogs(
      { events: withCopy.events, checkpoints: withCopy.checkpoints },
      { keys: withCopy.keys },
    );
    const eventId = (copied.event as { eventId: string }).eventId;
    const again = withCopy.events.length - 1;
    expect(report.ok).toBe(false);
    expect(report.divergence).toMatchObject({
      kind: 'duplicate-event',
      logId: LOG_ID,
      index: again,
      eventId,
      expected: `event ${eventId} once, at 3 of ${LOG_ID}`,
      found: `event ${eventId} again at ${again} of ${LOG_ID}`,
    });
    // On another log: the same id is found across logs.
    const elsewhere = withCopy.events.map((e, i) => (i === again ? { ...e, logId: `${LOG_ID}-other`, index: 0 } : e));
    const across = verifyAuditLogs({ events: elsewhere, checkpoints: [] }, { keys: withCopy.keys });
    expect(across.divergences).toContainEqual(
      expect.objectContaining({ kind: 'duplicate-event', logId: `${LOG_ID}-other`, index: 0, eventId }),
    );
  });

  it('says how much of each log a checkpoint covers, and requires every event covered only when asked', () => {
    const covered = log.checkpoints[0].treeSize;
    const evidence = { events: events(), checkpoints: [log.checkpoints[0]] };
    const lenient = verifyAuditLogs(evidence, trust);
    expect(lenient.ok).toBe(true);
    expect(lenient.logs).toEqual([
      { logId: LOG_ID, events: log.events.length, checkpoints: 1, verifiedTreeSize: covered },
    ]);

    const strict = verifyAuditLogs(evidence, { ...trust, requireCheckpoint: true });
    expect(strict.ok).toBe(false);
    expect(strict.divergences).toEqual([
      {
        kind: 'not-checkpointed',
        logId: LOG_ID,
        index: covered,
        eventId: envelope(log.events[covered]).eventId,
        expected: `a signed checkpoint at tree size ${log.events.length}`,
        found: `the last signed checkpoint at tree size ${covered}`,
        message: `${log.events.length - covered} of the ${log.events.length} events of ${LOG_ID} are covered by no signed checkpoint, from index ${covered}`,
      },
    ]);
    // A log no checkpoint was signed of is covered from nowhere; a fully covered one passes.
    expect(
      verifyAuditLogs({ events: events(), checkpoints: [] }, { ...trust, requireCheckpoint: true }).divergence,
    ).toMatchObject({ kind: 'not-checkpointed', index: 0, found: 'no signed checkpoint' });
    expect(
      verifyAuditLogs({ events: events(), checkpoints: log.checkpoints }, { ...trust, requireCheckpoint: true }).ok,
    ).toBe(true);
  });
});
