import type { AuditBundle, AuditVerificationReport, BundleVerificationReport, Divergence } from '@prov/audit';
import { Topics, type EventOf } from '@prov/contracts';
import { KafkaEventLog, NamespacedEventLog } from '@prov/event-log';
import { auditLeafHash, payloadDigest, type SignedCheckpoint } from '@prov/integrity';
import { ProvenanceClient } from '@prov/sdk';
import { buildProvenanceScenario, integrationEnv, uniqueName } from '@prov/testing';
import { MongoClient } from 'mongodb';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliResult, prov } from './prov-command';
import { RunningServices } from './running-services';
import { publishScenario, scenarioTrustedKeys } from './scenario-publisher';

/**
 * Tampering with the provenance record, each way the issue names, on real
 * Kafka and FerretDB: a view document, a stored event, a stored leaf, and in
 * an export an event changed, dropped or moved and a checkpoint forged.
 * `prov audit verify` names each (kind, event or document and field,
 * expected and found); a clean record verifies, online and offline.
 */
const { kafkaBrokers, mongodbUri } = integrationEnv();
const scenario = buildProvenanceScenario({
  datasets: 2,
  slicesPerDataset: 2,
  runs: 3,
  modelVersions: 4,
  deployments: 2,
  predictions: 300,
  predictionsPerBatch: 50,
});
const accepted = scenario.messages.filter((m) => m.event).length;
const PREDICTION = 'pred:scenario-120';

describe('prov audit names every kind of tampering with the record', () => {
  const services = new RunningServices();
  const database = uniqueName('audit').replace(/[^a-zA-Z0-9_-]/g, '_');
  const mongo = new MongoClient(mongodbUri);
  let dir: string;
  let auditor: ProvenanceClient;
  let env: Record<string, string>;
  /** A port nothing listens on: offline commands must not need the platform. */
  const offline = { PROV_GATEWAY_URL: 'http://127.0.0.1:9', PROV_API_KEY: 'none' };

  const topicPrefix = `${uniqueName('audit')}.`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-tamper-'));
    await publishScenario(scenario, topicPrefix, 2);
    await services.start(['projector', 'query-gateway'], {
      PROV_EVENT_LOG: 'kafka',
      KAFKA_BROKERS: kafkaBrokers.join(','),
      PROV_TOPIC_PREFIX: topicPrefix,
      PROV_STORE: 'mongodb',
      MONGODB_URI: mongodbUri,
      MONGODB_DATABASE: database,
      PROV_PROJECTOR_POLL_MS: '200',
      PROV_AUDIT_CHECKPOINT_SECONDS: '1',
      PROV_TRUSTED_KEYS: scenarioTrustedKeys(scenario),
    });
    auditor = new ProvenanceClient({ apiKey: services.tokens.auditor, gatewayUrl: services.urls['query-gateway'] });
    env = { PROV_GATEWAY_URL: services.urls['query-gateway'], PROV_API_KEY: services.tokens.auditor };
    await mongo.connect();
    // Every event folded into the views, and logged and covered by a signed checkpoint.
    const deadline = Date.now() + 240_000;
    for (;;) {
      const [{ logs }, { checkpoints }, generations] = await Promise.all([
        auditor.audit.logs(),
        auditor.audit.latestCheckpoints(),
        fetch(`${services.urls.projector}/v1/generations`, {
          headers: { authorization: `Bearer ${services.tokens.auditor}` },
        }).then(
          (r) =>
            r.json() as Promise<{ active: string | null; generations: Array<{ name: string; caughtUpAt?: string }> }>,
        ),
      ]);
      const logged = logs.reduce((sum, l) => sum + l.treeSize, 0);
      const covered = logs.every((l) => checkpoints.some((c) => c.logId === l.logId && c.treeSize === l.treeSize));
      const caughtUp = generations.generations.some((g) => g.name === generations.active && g.caughtUpAt);
      if (logged === accepted && covered && caughtUp) break;
      if (Date.now() > deadline) throw new Error(`the audit log holds ${logged} of ${accepted} events`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 300_000);

  afterAll(async () => {
    await services.stop();
    await mongo.close();
    await rm(dir, { recursive: true, force: true });
  });

  const db = () => mongo.db(database);
  const json = <T>(result: CliResult): T => {
    if (result.stdout.trim() === '') throw new Error(`no answer (exit ${result.code}):\n${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
  const verifyOnline = async () => {
    const result = await prov(['audit', 'verify', '--json'], env);
    return { code: result.code, report: json<AuditVerificationReport>(result) };
  };
  /** Changes one document of a collection for the length of `check`, then puts it back. */
  const whileChanged = async (
    collection: string,
    id: string,
    set: Record<string, unknown>,
    check: () => Promise<void>,
  ) => {
    const original = await db().collection<{ _id: string }>(collection).findOne({ _id: id });
    if (!original) throw new Error(`no ${collection} document ${id}`);
    await db().collection<{ _id: string }>(collection).updateOne({ _id: id }, { $set: set });
    try {
      await check();
    } finally {
      await db().collection<{ _id: string }>(collection).replaceOne({ _id: id }, original);
    }
  };
  const batchOfPrediction = () => {
    const batch = scenario.messages
      .flatMap((m) =>
        m.event?.type === 'prediction.batch.recorded' ? [m.event as EventOf<'prediction.batch.recorded'>] : [],
      )
      .find((e) => e.payload.predictions.some((p) => p.predictionId === PREDICTION));
    if (!batch) throw new Error(`the scenario has no ${PREDICTION}`);
    return batch;
  };

  it('verifies the clean record: online, an export and a bundle, and proves the chain', async () => {
    expect(await verifyOnline()).toMatchObject({ code: 0, report: { ok: true, divergences: [] } });
    const exported = await prov(['audit', 'export', '--out', join(dir, 'clean.jsonl'), '--json'], env);
    expect(json(exported)).toMatchObject({ events: accepted });
    const bundled = await prov(['audit', 'bundle', PREDICTION, '--out', join(dir, 'clean-bundle.json'), '--json'], env);
    expect(bundled.code).toBe(0);
    const redacted = join(dir, 'redacted-bundle.json');
    expect((await prov(['audit', 'bundle', PREDICTION, '--redact', '--out', redacted], env)).code).toBe(0);
    const proven = await prov(['audit', 'prove', PREDICTION, '--json'], env);
    const proof = json<{ chain: Array<{ eventId: string; proof: string[] }>; verification: BundleVerificationReport }>(
      proven,
    );
    expect(proven.code).toBe(0);
    expect(proof.verification.ok).toBe(true);
    expect(proof.chain.map((c) => c.eventId)).toContain(batchOfPrediction().eventId);
    expect(proof.chain.every((c) => c.proof.length > 0)).toBe(true);
  }, 120_000);

  it('names the view document and field changed in the store', async () => {
    const generation = (
      await db().collection<{ _id: string; generation: string }>('generations').findOne({ _id: 'active' })
    )?.generation;
    const collection = `v_${generation}_predictions`;
    const original = batchOfPrediction().payload.predictions.find((p) => p.predictionId === PREDICTION)?.inputDigest;
    const forged = `sha256:${'0'.repeat(64)}`;
    await whileChanged(collection, PREDICTION, { inputDigest: forged }, async () => {
      const file = join(dir, 'tampered-view-bundle.json');
      expect((await prov(['audit', 'bundle', PREDICTION, '--out', file], env)).code).toBe(0);
      const result = await prov(['audit', 'verify', '--bundle', file, '--json'], offline);
      expect(result.code).toBe(1);
      expect(json<BundleVerificationReport>(result).divergence).toMatchObject({
        kind: 'trace-field',
        document: `predictions/${PREDICTION}`,
        path: 'prediction.inputDigest',
        expected: JSON.stringify(original),
        found: JSON.stringify(forged),
      });
    });
  }, 120_000);

  it('names an event changed in the store, and a stored leaf changed', async () => {
    const batch = batchOfPrediction();
    const logged = await auditor.audit.event(batch.eventId);
    const leafId = `${logged.logId}#0/${logged.index}`;
    const changed = structuredClone(logged.event) as typeof batch;
    changed.payload.predictions[0].inputDigest = `sha256:${'1'.repeat(64)}`;
    await whileChanged('audit_events', leafId, { envelope: JSON.stringify(changed) }, async () => {
      const { code, report } = await verifyOnline();
      expect(code).toBe(1);
      expect(report.divergence).toMatchObject({
        kind: 'payload-digest',
        logId: logged.logId,
        index: logged.index,
        eventId: batch.eventId,
        expected: payloadDigest(batch.payload),
        found: payloadDigest(changed.payload),
      });
    });
    const forgedLeaf = 'ab'.repeat(32);
    await whileChanged('audit_hashes', leafId, { hash: forgedLeaf }, async () => {
      const { code, report } = await verifyOnline();
      expect(code).toBe(1);
      expect(report.divergence).toMatchObject({
        kind: 'stored-leaf',
        logId: logged.logId,
        index: logged.index,
        eventId: batch.eventId,
        expected: auditLeafHash(logged.event).toString('hex'),
        found: forgedLeaf,
      });
    });
    expect((await verifyOnline()).code).toBe(0);
  }, 180_000);

  describe('offline, with the platform stopped', () => {
    let lines: string[];
    beforeAll(async () => {
      await services.stop();
      lines = (await readFile(join(dir, 'clean.jsonl'), 'utf8')).trim().split('\n');
    }, 60_000);

    const verifyExport = async (edited: string[], name: string) => {
      const file = join(dir, `${name}.jsonl`);
      await writeFile(file, `${edited.join('\n')}\n`);
      const result = await prov(['audit', 'verify', '--from', file, '--json'], offline);
      return { code: result.code, divergence: json<AuditVerificationReport>(result).divergence as Divergence };
    };
    type EventLine = {
      kind: 'event';
      logId: string;
      index: number;
      leafHash: string;
      event: { eventId: string; payload: Record<string, unknown>; integrity: { payloadDigest: string } };
    };
    const eventAt = (at: number) => JSON.parse(lines[at]) as EventLine;
    /** An event line in the middle of a log that has a line after it. */
    const middle = () => {
      const at = lines.findIndex(
        (l, i) =>
          i > 5 &&
          (JSON.parse(l) as EventLine).kind === 'event' &&
          (JSON.parse(lines[i + 1]) as EventLine).logId === (JSON.parse(l) as EventLine).logId,
      );
      return { at, line: eventAt(at) };
    };

    it('verifies the clean export and bundle with nothing running, pinned to the exported keys', async () => {
      const keys = lines.filter((l) => JSON.parse(l).kind === 'key').map((l) => JSON.parse(l).key);
      await writeFile(join(dir, 'keys.json'), JSON.stringify({ keys }));
      expect((await verifyExport(lines, 'clean-again')).code).toBe(0);
      const result = await prov(
        ['audit', 'verify', '--bundle', join(dir, 'clean-bundle.json'), '--keys', join(dir, 'keys.json'), '--json'],
        offline,
      );
      expect(json<BundleVerificationReport>(result)).toMatchObject({ ok: true, keysFrom: 'trusted' });
      expect(result.code).toBe(0);
    }, 60_000);

    it('verifies the event stream on Kafka itself, and names an event and a checkpoint forged onto it', async () => {
      const fromKafka = (name: string) =>
        prov(
          [
            'audit',
            'verify',
            '--kafka',
            kafkaBrokers.join(','),
            '--topic-prefix',
            topicPrefix,
            '--keys',
            join(dir, 'keys.json'),
            '--json',
          ],
          offline,
        ).then((result) => ({ code: result.code, report: json<AuditVerificationReport>(result), name }));
      const clean = await fromKafka('clean');
      expect(clean).toMatchObject({ code: 0, report: { ok: true } });
      expect(clean.report.logs.reduce((sum, l) => sum + l.verifiedTreeSize, 0)).toBe(accepted);

      const log = new NamespacedEventLog(
        await KafkaEventLog.connect({ clientId: 'audit-forger', brokers: kafkaBrokers }),
        topicPrefix,
      );
      try {
        const batch = batchOfPrediction();
        const forged = structuredClone(batch);
        forged.payload.predictions[0].outputDigest = `sha256:${'9'.repeat(64)}`;
        const [appended] = await log.publish(Topics.inference, [
          { key: batch.subject, value: Buffer.from(JSON.stringify(forged)) },
        ]);
        const withEvent = await fromKafka('event');
        expect(withEvent.code).toBe(1);
        expect(withEvent.report.divergences).toEqual([
          expect.objectContaining({
            kind: 'payload-digest',
            logId: `auditlog:${Topics.inference}.p${appended.partition}`,
            eventId: batch.eventId,
            expected: batch.integrity.payloadDigest,
            found: payloadDigest(forged.payload),
          }),
        ]);

        const real = lines.map((l) => JSON.parse(l)).find((l) => l.kind === 'checkpoint' && l.checkpoint.treeSize > 2)
          ?.checkpoint as SignedCheckpoint;
        // A size no real checkpoint of the log has, with the root and signature of another.
        const sizes = new Set(
          lines
            .map((l) => JSON.parse(l))
            .filter((l) => l.kind === 'checkpoint' && l.checkpoint.logId === real.logId)
            .map((l) => l.checkpoint.treeSize),
        );
        let size = real.treeSize - 1;
        while (sizes.has(size)) size--;
        const fake = { ...real, treeSize: size };
        await log.publish(Topics.audit, [
          {
            key: real.logId,
            value: Buffer.from(JSON.stringify({ ...batch, type: 'audit.checkpoint.signed', payload: fake })),
          },
        ]);
        const withCheckpoint = await fromKafka('checkpoint');
        expect(withCheckpoint.code).toBe(1);
        expect(withCheckpoint.report.divergences).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              kind: 'checkpoint-signature',
              logId: real.logId,
              index: fake.treeSize - 1,
              found: `bad-signature (key ${real.keyId})`,
            }),
          ]),
        );
      } finally {
        await log.close();
      }
    }, 120_000);

    it('names an event whose payload was changed', async () => {
      const { at, line } = middle();
      const edited = [...lines];
      const original = line.event.integrity.payloadDigest;
      line.event.payload = { ...line.event.payload, injected: 'yes' };
      edited[at] = JSON.stringify(line);
      expect(await verifyExport(edited, 'changed')).toMatchObject({
        code: 1,
        divergence: {
          kind: 'payload-digest',
          eventId: line.event.eventId,
          index: line.index,
          expected: original,
          found: payloadDigest(line.event.payload),
        },
      });
    }, 60_000);

    it('names the place of a dropped event, and two events that changed places', async () => {
      const { at, line } = middle();
      const next = eventAt(at + 1);
      const dropped = lines.filter((_, i) => i !== at);
      expect(await verifyExport(dropped, 'dropped')).toMatchObject({
        code: 1,
        divergence: { kind: 'missing-event', logId: line.logId, index: line.index, eventId: next.event.eventId },
      });
      const swapped = [...lines];
      [swapped[at], swapped[at + 1]] = [swapped[at + 1], swapped[at]];
      expect(await verifyExport(swapped, 'swapped')).toMatchObject({
        code: 1,
        divergence: {
          kind: 'out-of-order',
          logId: line.logId,
          index: line.index,
          eventId: next.event.eventId,
          expected: `leaf ${line.index} (event ${line.event.eventId})`,
        },
      });
    }, 60_000);

    it('names a stored leaf changed in the export, and a forged checkpoint signature', async () => {
      const { at, line } = middle();
      const leaf = [...lines];
      const original = line.leafHash;
      leaf[at] = JSON.stringify({ ...line, leafHash: 'cd'.repeat(32) });
      expect(await verifyExport(leaf, 'leaf')).toMatchObject({
        code: 1,
        divergence: { kind: 'stored-leaf', eventId: line.event.eventId, expected: original, found: 'cd'.repeat(32) },
      });
      const forged = [...lines];
      const c = forged.findIndex((l) => JSON.parse(l).kind === 'checkpoint');
      const checkpoint = JSON.parse(forged[c]).checkpoint;
      const signature = `${checkpoint.signature.slice(0, 10)}${checkpoint.signature[10] === 'A' ? 'B' : 'A'}${checkpoint.signature.slice(11)}`;
      forged[c] = JSON.stringify({ kind: 'checkpoint', checkpoint: { ...checkpoint, signature } });
      expect(await verifyExport(forged, 'forged')).toMatchObject({
        code: 1,
        divergence: {
          kind: 'checkpoint-signature',
          logId: checkpoint.logId,
          index: checkpoint.treeSize - 1,
          found: `bad-signature (key ${checkpoint.keyId})`,
        },
      });
    }, 60_000);

    it('names the field of a tampered bundle, a redacted one included', async () => {
      const bundle = JSON.parse(await readFile(join(dir, 'clean-bundle.json'), 'utf8')) as AuditBundle & {
        trace: { run: { codeCommit: string }; prediction: { modelVersionId: string } };
      };
      const original = bundle.trace.run.codeCommit;
      bundle.trace.run.codeCommit = 'f00dbabe';
      await writeFile(join(dir, 'tampered-bundle.json'), JSON.stringify(bundle));
      const result = await prov(['audit', 'verify', '--bundle', join(dir, 'tampered-bundle.json'), '--json'], offline);
      expect(result.code).toBe(1);
      expect(json<BundleVerificationReport>(result).divergence).toMatchObject({
        kind: 'trace-field',
        document: `model_lineage/${bundle.trace.prediction.modelVersionId}`,
        path: 'run.codeCommit',
        expected: JSON.stringify(original),
        found: JSON.stringify('f00dbabe'),
      });
      const human = await prov(['audit', 'verify', '--bundle', join(dir, 'tampered-bundle.json')], offline);
      expect(human.code).toBe(1);
      expect(human.stdout).toContain('run.codeCommit');

      // Sensitive values shown as digests still verify, and a forged digest is named.
      const redacted = JSON.parse(await readFile(join(dir, 'redacted-bundle.json'), 'utf8')) as AuditBundle & {
        trace: { datasets: Array<{ owner: { redacted: boolean; digest: string } }> };
      };
      expect(redacted.trace.datasets[0].owner).toMatchObject({ redacted: true });
      const clean = await prov(['audit', 'verify', '--bundle', join(dir, 'redacted-bundle.json'), '--json'], offline);
      expect(clean.code).toBe(0);
      redacted.trace.datasets[0].owner.digest = payloadDigest('someone else');
      await writeFile(join(dir, 'tampered-redacted.json'), JSON.stringify(redacted));
      const forged = await prov(
        ['audit', 'verify', '--bundle', join(dir, 'tampered-redacted.json'), '--json'],
        offline,
      );
      expect(forged.code).toBe(1);
      expect(json<BundleVerificationReport>(forged).divergence).toMatchObject({
        kind: 'trace-field',
        path: 'datasets[0].owner.digest',
        found: JSON.stringify(payloadDigest('someone else')),
      });
    }, 90_000);
  });
});
