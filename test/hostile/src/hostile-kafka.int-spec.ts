import { EVENT_CATALOG, EventEnvelope, EventType, MessageRejectedV2 } from '@prov/contracts';
import { KafkaEventLog, NamespacedEventLog } from '@prov/event-log';
import { generateSigningKeyPair, payloadDigest, signEnvelope } from '@prov/integrity';
import {
  buildProvenanceScenario,
  integrationEnv,
  publishScenario,
  readEvents,
  scenarioTrustedKeys,
  uniqueName,
} from '@prov/testing';
import { productionEnv, RunningServices } from '@prov/platform-testing';
import fc from 'fast-check';
import { writeResults } from './platform/results-file';
import { StoredState, auditLogPositions, storedDocumentsText, storedState } from './platform/stored-state';

/**
 * Hostile messages on every topic the projector folds: random bytes,
 * truncated events, JSON that is no event, unknown types and schema
 * versions, payloads changed under their digest, forged and untrusted
 * signatures, a producer out of its domain, nesting 10,000 levels deep,
 * Kafka headers naming another event than the envelope, an accepted event's
 * id on other content, and replays of events already folded. Each refused message becomes exactly one
 * dead letter naming its position and reason, the projector keeps folding
 * what comes after, and the views are as they were: no event lost, none
 * duplicated.
 */
const scenario = buildProvenanceScenario({
  datasets: 2,
  slicesPerDataset: 2,
  runs: 2,
  modelVersions: 2,
  deployments: 1,
  predictions: 300,
});
const PROJECTED = ['provenance.training.v1', 'provenance.registry.v1', 'provenance.inference.v1'];
const ALL_TOPICS = [...PROJECTED, 'provenance.deadletter.v1', 'provenance.audit.v1'];

type Envelope = EventEnvelope & { integrity: { payloadDigest: string; signature?: string; keyId?: string } };

interface HostileMessage {
  category: string;
  topic: string;
  key: string;
  value: Buffer;
  /** The reasons the dead letter may give; empty: the message must be folded as the duplicate it is, no dead letter. */
  reasons: string[];
  headers?: Record<string, string>;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** The scenario's events on a topic, as published. */
const eventsOn = (topic: string) =>
  scenario.messages
    .filter((m) => m.topic === topic && m.event)
    .map((m) => ({ ...m, event: m.event as unknown as Envelope }));

function hostileMessages(): HostileMessage[] {
  const untrusted = generateSigningKeyPair();
  const messages: HostileMessage[] = [];
  const add = (
    category: string,
    topic: string,
    value: Buffer,
    reasons: string[],
    key = `hostile-${category}`,
    headers?: Record<string, string>,
  ) => messages.push({ category, topic, key, value, reasons, headers });
  const random = fc.sample(fc.uint8Array({ minLength: 0, maxLength: 2048 }), { numRuns: 20, seed: 13 });
  for (const topic of PROJECTED) {
    const events = eventsOn(topic);
    const original = events[0].event;
    const bytes = Buffer.from(JSON.stringify(original));
    for (const sample of random) add('random-bytes', topic, Buffer.from(sample), ['unparseable', 'invalid-envelope']);
    for (const cut of fc.sample(fc.integer({ min: 0, max: bytes.length - 1 }), { numRuns: 10, seed: 7 })) {
      add('truncated-event', topic, bytes.subarray(0, cut), ['unparseable']);
    }
    for (const value of [
      null,
      [],
      'event',
      42,
      {},
      { ...original, payload: 'x' },
      { ...original, eventId: { $gt: '' } },
    ]) {
      add('json-not-an-event', topic, json(value), ['unparseable', 'invalid-envelope', 'invalid-payload']);
    }
    add(
      'unknown-type',
      topic,
      json({ ...original, type: 'dataset.deleted' }),
      ['unknown-type', 'invalid-envelope'],
      original.subject,
    );
    add(
      'wrong-schema-version',
      topic,
      json({ ...original, schemaVersion: 99 }),
      ['unsupported-version', 'invalid-payload'],
      original.subject,
    );
    add(
      'wrong-schema-version',
      topic,
      json({ ...original, schemaVersion: '1' }),
      ['invalid-envelope'],
      original.subject,
    );
    // The payload changed, the digest and signature left as they were.
    const payload = original.payload as Record<string, unknown>;
    const subjectOf = EVENT_CATALOG[original.type as EventType].subjectOf as (p: unknown) => string;
    // A field whose change leaves the subject as it is, so that only the digest can tell.
    const field = Object.keys(payload).find(
      (k) =>
        typeof payload[k] === 'string' && subjectOf({ ...payload, [k]: `${payload[k]}-changed` }) === original.subject,
    ) as string;
    const changed = { ...payload, [field]: `${payload[field]}-changed` };
    add(
      'payload-digest-mismatch',
      topic,
      json({ ...original, payload: changed }),
      ['payload-digest-mismatch'],
      original.subject,
    );
    add(
      'payload-digest-mismatch',
      topic,
      json({ ...original, integrity: { ...original.integrity, payloadDigest: `sha256:${'0'.repeat(64)}` } }),
      ['payload-digest-mismatch'],
      original.subject,
    );
    // Signatures: flipped, removed, or made with a key the projector does not trust.
    const signature = original.integrity.signature as string;
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    add(
      'bad-signature',
      topic,
      json({ ...original, integrity: { ...original.integrity, signature: flipped } }),
      ['bad-signature'],
      original.subject,
    );
    const { signature: _removed, ...unsigned } = original.integrity;
    add('bad-signature', topic, json({ ...original, integrity: unsigned }), ['bad-signature'], original.subject);
    const { integrity: _integrity, ...bare } = original;
    const resigned = signEnvelope(
      { ...bare, integrity: { payloadDigest: original.integrity.payloadDigest } } as EventEnvelope,
      untrusted.privateKey,
      untrusted.keyId,
    );
    add('bad-signature', topic, json(resigned), ['bad-signature'], original.subject);
    // Nested far deeper than any payload may be, under a digest that cannot be recomputed without recursion.
    const depth = 10_000;
    const deep = `${JSON.stringify({ ...original, payload: '@' }).replace('"@"', `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)}`;
    add(
      'deep-nesting',
      topic,
      Buffer.from(deep),
      ['unparseable', 'invalid-envelope', 'invalid-payload'],
      original.subject,
    );
    // Replays: events already folded, published again verbatim (Kafka redelivers; producers retry).
    for (const replay of events.slice(0, 5)) add('replayed-event', topic, replay.value, [], replay.key);
    // A replay whose Kafka headers describe another event than its envelope.
    const described = { 'event-type': 'model.promoted', 'schema-version': String(original.schemaVersion) };
    add('disagreeing-headers', topic, events[0].value, ['invalid-envelope'], events[0].key, described);
    // The id of an accepted event on other content, signed by its own producer: the first one stands.
    const producer = scenario.signers[original.producer.service as keyof typeof scenario.signers];
    const conflicting = signEnvelope(
      {
        ...bare,
        occurredAt: '2020-01-01T00:00:00Z',
        integrity: { payloadDigest: original.integrity.payloadDigest },
      } as EventEnvelope,
      producer.privateKey,
      producer.keyId,
    );
    add('conflicting-event', topic, json(conflicting), ['conflicting-event'], original.subject);
  }
  // A producer out of its domain: a prediction batch signed and sent by the training service.
  const batch = eventsOn('provenance.inference.v1')[0].event;
  const forged = signEnvelope(
    {
      ...batch,
      eventId: batch.eventId.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      producer: { service: 'training-service', principal: 'mallory' },
      integrity: { payloadDigest: payloadDigest(batch.payload) },
    } as EventEnvelope,
    scenario.signers['training-service'].privateKey,
    scenario.signers['training-service'].keyId,
  );
  add(
    'forbidden-producer',
    'provenance.inference.v1',
    json(forged),
    ['forbidden-producer', 'bad-signature'],
    batch.subject,
  );
  return messages;
}

describe('hostile messages on the projected topics', () => {
  const services = new RunningServices();
  const topicPrefix = `${uniqueName('hostile-kafka')}.`;
  const env: Record<string, string> = {
    ...productionEnv('hostile-kafka', topicPrefix),
    PROV_TRUSTED_KEYS: scenarioTrustedKeys(scenario),
  };
  const { mongodbUri, kafkaBrokers } = integrationEnv();
  let log: NamespacedEventLog;
  const sent: Array<HostileMessage & { partition: number; offset: string }> = [];

  const read = () => storedState(mongodbUri, env['MONGODB_DATABASE'], log, ALL_TOPICS);
  /**
   * The projector's views: every collection but its consumed positions (they move as it reads anything), the
   * views' revision counters (raised by any write, an idempotent one included) and the audit log (which records
   * every event on the log, a replay too, at its own position) and the dead letters (listed through the gateway).
   */
  const views = (state: StoredState) =>
    Object.fromEntries(
      Object.entries(state.collections).filter(
        ([name]) =>
          !name.includes('offsets') &&
          name !== 'view_revisions' &&
          !name.startsWith('audit_') &&
          !name.startsWith('dead_letter'),
      ),
    );
  const auditEvents = (state: StoredState) => state.collections['audit_events']?.count ?? 0;

  async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`${what}: not within ${ms / 1000} s; the services said:\n${services.logs().slice(-6000)}`);
  }

  const deadLetters = async () =>
    (await readEvents(log, 'provenance.deadletter.v1')) as unknown as Array<
      EventEnvelope & { payload: MessageRejectedV2 }
    >;

  /** The stored state once the projector is idle: two reads 1.5 s apart that agree. */
  async function settled(): Promise<StoredState> {
    let last = await read();
    return until('the views settle', async () => {
      await new Promise((r) => setTimeout(r, 1_500));
      const next = await read();
      const same = JSON.stringify(views(next)) === JSON.stringify(views(last));
      last = next;
      return same ? next : undefined;
    });
  }

  beforeAll(async () => {
    await publishScenario(scenario, topicPrefix, 3);
    log = new NamespacedEventLog(
      await KafkaEventLog.connect({ clientId: 'hostile-kafka', brokers: kafkaBrokers }),
      topicPrefix,
    );
    await services.start(['projector', 'query-gateway'], env);
    // The scenario's own poison messages are dead-lettered once it is folded.
    await until('the scenario is folded', async () =>
      (await deadLetters()).length >= scenario.poisonCount ? true : undefined,
    );
  }, 240_000);

  afterAll(async () => {
    await log?.close();
    await services.stop();
  });

  it('dead-letters every hostile message once, with its position and reason, and folds the replays as no-ops', async () => {
    const before = await settled();
    expect(Object.keys(views(before)).length).toBeGreaterThan(3);
    const lettersBefore = (await deadLetters()).length;
    const messages = hostileMessages();
    for (const message of messages) {
      const [position] = await log.publish(message.topic, [
        { key: message.key, value: message.value, headers: message.headers },
      ]);
      sent.push({ ...message, ...position });
    }
    const refused = sent.filter((m) => m.reasons.length > 0);
    // Every refused message dead-lettered, or no new letter for 20 s (the checks below then say which is missing).
    let seen = { count: -1, at: Date.now() };
    const letters = await until('the dead letters', async () => {
      const all = await deadLetters();
      if (all.length !== seen.count) seen = { count: all.length, at: Date.now() };
      return all.length >= lettersBefore + refused.length || Date.now() - seen.at > 20_000 ? all : undefined;
    });
    // Dead letters name positions as the namespaced log shows them: without the prefix.
    const at = (topic: string, partition: number, offset: string) => `${topic}/${partition}/${offset}`;
    const byPosition = new Map<string, MessageRejectedV2[]>();
    for (const letter of letters) {
      const { topic, partition, offset } = letter.payload.source;
      const key = `${topic}/${partition}/${offset}`;
      byPosition.set(key, [...(byPosition.get(key) ?? []), letter.payload]);
    }
    const outcomes = sent.map((m) => {
      const found = byPosition.get(at(m.topic, m.partition, m.offset)) ?? [];
      return {
        category: m.category,
        topic: m.topic,
        deadLetters: found.length,
        reasonExpected: m.reasons.length === 0 ? found.length === 0 : found.every((l) => m.reasons.includes(l.reason)),
        problemsGiven: found.every((l) => l.problems.length > 0 && l.problems.every((p) => p.problem.length > 0)),
        reason: found[0]?.reason,
        problems: found[0]?.problems.slice(0, 3).map((p) => `${p.path}: ${p.problem}`),
      };
    });
    for (const outcome of outcomes) {
      const replay = outcome.category === 'replayed-event';
      expect(outcome).toEqual({ ...outcome, deadLetters: replay ? 0 : 1, reasonExpected: true, problemsGiven: true });
    }
    // Nothing but these letters was added to the dead-letter topic.
    expect(letters.length).toBe(lettersBefore + refused.length);
    // The gateway lists every letter of the topic, each once.
    const listed = await until('the dead letters listed by the gateway', async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const query = `?limit=1000${cursor === null ? '' : `&cursor=${cursor}`}`;
        const answer = await fetch(`${services.urls['query-gateway']}/v1/dead-letters${query}`, {
          headers: { authorization: `Bearer ${services.tokens.auditor}` },
        });
        const page = (await answer.json()) as {
          deadLetters: Array<{ deadLetterId: string }>;
          nextCursor: string | null;
        };
        ids.push(...page.deadLetters.map((l) => l.deadLetterId));
        cursor = page.nextCursor;
      } while (cursor !== null);
      return ids.length >= letters.length ? ids : undefined;
    });
    expect([...listed].sort()).toEqual(letters.map((l) => l.payload.deadLetterId).sort());

    const after = await settled();
    // Still alive, and the views are as before: nothing of the hostile messages stored, no replay folded twice.
    expect((await fetch(`${services.urls.projector}/healthz`)).status).toBe(200);
    expect(views(after)).toEqual(views(before));
    // No refused message entered the tamper-evident log, and no replay did either: an event id is a leaf once.
    const replayed = sent.length - refused.length;
    await until('the audit log has read past the hostile messages', async () => {
      const positions = await auditLogPositions(mongodbUri, env['MONGODB_DATABASE']);
      return sent.every((m) => (positions.get(`${m.topic}/${m.partition}`) ?? 0n) > BigInt(m.offset))
        ? true
        : undefined;
    });
    expect(auditEvents(await settled())).toBe(auditEvents(before));

    const documents = (state: StoredState) => Object.values(views(state)).reduce((sum, c) => sum + c.count, 0);
    const stored = await storedDocumentsText(mongodbUri, env['MONGODB_DATABASE']);
    const scenarioEventIds = scenario.messages.flatMap((m) => (m.event ? [m.event.eventId] : []));
    expect(scenarioEventIds.filter((id) => !stored.includes(id))).toEqual([]);
    const categories: Record<string, { messages: number; deadLetters: number; reasons: Record<string, number> }> = {};
    for (const o of outcomes) {
      const c = (categories[o.category] ??= { messages: 0, deadLetters: 0, reasons: {} });
      c.messages += 1;
      c.deadLetters += o.deadLetters;
      if (o.reason) c.reasons[o.reason] = (c.reasons[o.reason] ?? 0) + 1;
    }
    writeResults('hostile-kafka', {
      topics: PROJECTED,
      messages: sent.length,
      refused: refused.length,
      replayed,
      deadLetters: letters.length - lettersBefore,
      categories,
      viewsUnchanged: JSON.stringify(views(after)) === JSON.stringify(views(before)),
      viewDocuments: documents(before),
      // Of the scenario's valid events, how many the audit log lacks, and how many view documents the replays added.
      eventsLost: scenarioEventIds.filter((id) => !stored.includes(id)).length,
      eventsDuplicated: documents(after) - documents(before),
    });
  }, 240_000);

  it('keeps folding valid events published after the hostile ones', async () => {
    const training = eventsOn('provenance.training.v1')[0];
    const signer = scenario.signers['training-service'];
    const original = training.event;
    const namespace = `after-${Date.now().toString(36)}`;
    const payload = {
      ...(original.payload as Record<string, unknown>),
      datasetId: `dataset:${namespace}/events`,
      namespace,
      name: 'events',
    };
    const fresh = signEnvelope(
      {
        ...original,
        eventId: original.eventId.replace(/.{4}$/, 'beef'),
        subject: payload.datasetId,
        payload,
        integrity: { payloadDigest: payloadDigest(payload) },
      } as EventEnvelope,
      signer.privateKey,
      signer.keyId,
    );
    await log.publish('provenance.training.v1', [{ key: fresh.subject, value: json(fresh) }]);
    const answer = await until('the dataset after the hostile messages is in the views', async () => {
      const response = await fetch(
        `${services.urls['query-gateway']}/v1/lineage/${encodeURIComponent(fresh.subject)}`,
        {
          headers: { authorization: `Bearer ${services.tokens.viewer}` },
        },
      );
      return response.status === 200 ? response.json() : undefined;
    });
    expect(JSON.stringify(answer)).toContain(fresh.subject);
  }, 120_000);
});
