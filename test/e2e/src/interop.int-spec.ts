import { EventEnvelope, OpenLineageRunEventReceivedV1, Topics } from '@prov/contracts';
import type { LineageGraph } from '@prov/lineage-queries';
import { KafkaEventLog, NamespacedEventLog } from '@prov/event-log';
import { artifactManifestDigest, dataSliceId, datasetVersionId, signingKeyPairFromPem } from '@prov/integrity';
import { ProvJsonSchemaValidator } from '@prov/interop';
import { integrationEnv, readEvents, uniqueName } from '@prov/testing';
import { RunningServices, productionEnv } from '@prov/platform-testing';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { interopPython, runPython } from './interop-python';

/**
 * Interoperability with other tools' own code, on real Kafka and FerretDB:
 * the official OpenLineage Python client posts RunEvents over its HTTP
 * transport; the platform's PROV-JSON validates against the W3C schema; and
 * securesystemslib verifies the in-toto attestation `prov attest` wrote.
 */
const { kafkaBrokers } = integrationEnv();
const ROOT = resolve(__dirname, '..', '..', '..');
const hex = (c: string) => c.repeat(64);

describe('interoperability: OpenLineage in, PROV-JSON and in-toto out', () => {
  const services = new RunningServices();
  const topicPrefix = `${uniqueName('interop')}.`;
  let python: string;
  let log: NamespacedEventLog;
  let work: string;
  // Set by the OpenLineage test, used by the exports.
  let sliceFromOpenLineage: string | undefined;
  let datasetVersion: string | undefined;

  beforeAll(async () => {
    python = interopPython();
    work = await mkdtemp(join(tmpdir(), 'interop-'));
    await services.start(['training-service', 'registry-service', 'inference-service', 'projector', 'query-gateway'], {
      ...productionEnv('interop', topicPrefix),
    });
    log = new NamespacedEventLog(
      await KafkaEventLog.connect({ clientId: 'interop-reader', brokers: kafkaBrokers }),
      topicPrefix,
    );
  }, 900_000);

  afterAll(async () => {
    await services.stop();
    await log?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /**
   * The W3C PROV library for Python loads the document with every relation
   * and each of its formal attributes intact, and converts it to PROV-N and
   * to RDF (PROV-O).
   */
  async function expectReadByThePythonProvPackage(
    name: string,
    document: Record<string, Record<string, Record<string, unknown>>>,
  ): Promise<void> {
    const file = join(work, `${name}.prov.json`);
    await writeFile(file, JSON.stringify(document));
    const loaded = await runPython(python, 'load_prov.py', [file]);
    expect({ code: loaded.code, stderr: loaded.stderr }).toEqual({ code: 0, stderr: '' });
    const read = JSON.parse(loaded.stdout) as {
      relations: Array<{ type: string; formal: Record<string, string | null> }>;
      provn: string;
      rdfPredicates: Record<string, number>;
    };
    const kinds: Record<string, string> = {
      used: 'prov:Usage',
      wasGeneratedBy: 'prov:Generation',
      wasDerivedFrom: 'prov:Derivation',
      wasAssociatedWith: 'prov:Association',
      specializationOf: 'prov:Specialization',
    };
    for (const [kind, type] of Object.entries(kinds)) {
      const written = Object.values(document[kind] ?? {});
      const got = read.relations.filter((r) => r.type === type);
      expect({ name, kind, count: got.length }).toEqual({ name, kind, count: written.length });
      // Each attribute written comes back under the same name, none lost on the way.
      for (const relation of written) {
        const formal = Object.fromEntries(
          Object.entries(relation).filter(
            ([key, value]) =>
              // Times come back as Python datetimes; roles are not formal attributes.
              key.startsWith('prov:') && !['prov:role', 'prov:time'].includes(key) && typeof value === 'string',
          ),
        );
        expect(got.map((r) => r.formal)).toContainEqual(expect.objectContaining(formal));
      }
    }
    const specializations = Object.keys(document['specializationOf'] ?? {}).length;
    expect(read.provn.match(/specializationOf\(/g)?.length ?? 0).toBe(specializations);
    expect(read.rdfPredicates['http://www.w3.org/ns/prov#specializationOf'] ?? 0).toBe(specializations);
  }

  const lineagePost = (body: unknown) =>
    fetch(`${services.urls['training-service']}/api/v1/lineage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${services.tokens['data-steward']}` },
      body: JSON.stringify(body),
    });
  const gateway = (path: string) =>
    fetch(`${services.urls['query-gateway']}${path}`, {
      headers: { authorization: `Bearer ${services.tokens['viewer']}` },
    });
  const trainingEvents = async () =>
    (await readEvents(log, Topics.training)).sort((a, b) => a.eventId.localeCompare(b.eventId));

  it("accepts the spec's own example event once, and refuses an invalid one with its JSON path", async () => {
    const example = JSON.parse(
      await readFile(join(ROOT, 'libs/interop/schemas/openlineage/examples/example_full_event.json'), 'utf8'),
    );
    const first = await lineagePost(example);
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };
    const again = await lineagePost(example);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id, created: false });
    expect((await trainingEvents()).filter((e) => e.subject === id)).toHaveLength(1);

    const invalid = await lineagePost({ ...example, eventTime: 'soon' });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { details: Array<{ path: string }> } }).error.details[0].path).toBe(
      'eventTime',
    );
  });

  it("records the official Python client's RunEvents, linked to exactly the dataset version they name", async () => {
    const steward = services.client('data-steward');
    const parts = [{ path: 'crm/customer-events/part-0.parquet', sizeBytes: 2048, sha256: hex('4') }];
    const dataset = await steward.datasets.register({ namespace: 'crm', name: 'customer-events', owner: 'crm-team' });
    const version = await steward.datasets.registerVersion(dataset.id, { parts, source: 's3://lake/crm/' });
    expect(version.id).toBe(datasetVersionId(parts));
    datasetVersion = version.id;

    const before = (await trainingEvents()).length;
    const emitted = await runPython(python, 'emit_openlineage.py', [
      services.urls['training-service'],
      services.tokens['data-steward'],
      version.id,
    ]);
    if (emitted.code !== 0) throw new Error(`emit_openlineage.py exited ${emitted.code}:\n${emitted.stderr}`);
    const sent = JSON.parse(emitted.stdout) as {
      runId: string;
      parentRunId: string;
      events: Array<{
        eventType: string;
        eventTime: string;
        inputs: Array<{ inputFacets: { subset: { inputCondition: object } } }>;
      }>;
    };

    const added = (await trainingEvents()).slice(before);
    const received = added.filter(
      (e): e is EventEnvelope<string, OpenLineageRunEventReceivedV1> => e.type === 'openlineage.run-event.received',
    );
    // START and COMPLETE; the retried COMPLETE added nothing.
    expect(received.map((e) => e.payload.eventType)).toEqual(['START', 'COMPLETE']);
    const slice = dataSliceId(version.id, { filter: sent.events[1].inputs[0].inputFacets.subset.inputCondition });
    for (const [i, event] of received.entries()) {
      expect(event.payload.event).toEqual(sent.events[i]);
      // The producer's eventTime is the claim beside our own receive time.
      expect(event.occurredAt).toBe(sent.events[i].eventTime);
      expect(event.recordedAt).toMatch(/Z$/);
      expect(event.payload).toMatchObject({
        runId: sent.runId,
        parent: { runId: sent.parentRunId, job: { namespace: 'airflow', name: 'churn' } },
        job: { name: 'churn.prepare_features', jobType: 'BATCH/AIRFLOW/TASK', codeLocation: { version: '4f2ac1d' } },
        inputs: [
          { datasetId: dataset.id, resolution: 'registered', datasetVersionId: version.id, sliceId: slice },
          { name: 'public.orders', resolution: 'unversioned' },
        ],
        outputs: [{ name: 'features/churn', resolution: 'external', version: '2026-11-04' }],
        completeness: {
          complete: false,
          missing: [expect.stringMatching(/^inputs\[1\]: .*public\.orders has no datasetVersion facet/)],
        },
      });
    }
    // The slice once, the two datasets first seen here once; crm/customer-events keeps its own record.
    expect(added.filter((e) => e.type === 'dataset.slice.defined').map((e) => e.subject)).toEqual([slice]);
    expect(added.filter((e) => e.type === 'dataset.registered')).toHaveLength(2);
    sliceFromOpenLineage = slice;

    // In the lineage graph as a run posted to /v1/runs is: the job it ran, the version and slice it read, its output.
    const run = `run:${sent.runId}`;
    const job = 'job:airflow/churn.prepare_features';
    const [, orders] = received[1].payload.inputs;
    const [features] = received[1].payload.outputs;
    const deadline = Date.now() + 60_000;
    let graph: LineageGraph | undefined;
    while (Date.now() < deadline) {
      const answer = await gateway(`/v1/lineage/${encodeURIComponent(version.id)}?direction=downstream&depth=3`);
      graph = answer.ok ? ((await answer.json()) as LineageGraph) : undefined;
      if (graph?.nodes.some((n) => n.id === run)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    // Downstream of the version: the run that read it, and what the run generated.
    expect(graph?.nodes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: run, kind: 'run', known: true }),
        expect.objectContaining({ id: features.datasetId, kind: 'dataset' }),
      ]),
    );
    const around = (await (await gateway(`/v1/lineage/${encodeURIComponent(run)}?depth=1`)).json()) as LineageGraph;
    expect(around.nodes).toContainEqual(expect.objectContaining({ id: job, kind: 'job', known: true }));
    expect(around.edges).toEqual(
      expect.arrayContaining([
        { from: run, to: job, rel: 'ran' },
        {
          from: run,
          to: version.id,
          rel: 'used',
          attrs: { role: 'input', resolution: 'registered', version: version.id },
        },
        { from: run, to: slice, rel: 'used', attrs: { role: 'input' } },
        { from: run, to: orders.datasetId, rel: 'used', attrs: { role: 'input', resolution: 'unversioned' } },
        {
          from: features.datasetId,
          to: run,
          rel: 'generated-by',
          attrs: { role: 'output', resolution: 'external', version: '2026-11-04' },
        },
      ]),
    );
  });

  it('exports the trace of a prediction on that slice as PROV-JSON, and attests its model with in-toto', async () => {
    if (!sliceFromOpenLineage || !datasetVersion) throw new Error('the OpenLineage test did not record its slice');
    const engineer = services.client('model-engineer');
    const pipeline = await engineer.pipelines.register({
      name: 'churn-features',
      version: '1.0',
      codeDigest: 'git:4f2ac1d',
      steps: [{ name: 'encode', transform: 'OneHotEncoder' }],
    });
    const run = await engineer.runs.start({
      pipeline: pipeline.id,
      inputs: [{ sliceId: sliceFromOpenLineage, role: 'train' }],
      hyperparameters: { lr: 0.01 },
      seeds: { torch: 7 },
      codeCommit: '4f2ac1d',
      environment: { imageDigest: `sha256:${hex('d')}` },
      startedAt: '2026-11-04T12:00:00Z',
    });
    await engineer.runs.complete(run.id, {
      status: 'succeeded',
      endedAt: '2026-11-04T13:00:00Z',
      metrics: { auc: 0.9 },
    });
    const files = [{ path: 'model.onnx', sizeBytes: 10, sha256: hex('8') }];
    const artifact = artifactManifestDigest(files);
    const model = await engineer.models.registerVersion('churn', {
      version: '1',
      runId: run.id,
      artifact: { uri: 's3://models/churn/1/', digest: artifact, parts: files },
    });
    await engineer.deployments.create({ name: 'churn-api', modelVersionId: model.id, endpoint: 'https://svc/predict' });
    await services.client('ml-service').predictions.recordBatch({
      deployment: 'churn-api',
      modelVersionId: model.id,
      artifactDigest: artifact,
      predictions: [{ id: 'interop-1', at: new Date().toISOString(), inputDigest: `sha256:${hex('3')}` }],
    });
    const trace = await services.traceOnceComplete('pred:interop-1', 'viewer');
    expect(trace?.completeness).toEqual({ level: 'standard', complete: true, missing: [] });

    const schema = new ProvJsonSchemaValidator();
    const provTrace = await gateway('/v1/predictions/pred:interop-1/trace.prov.json');
    expect(provTrace.status).toBe(200);
    const document = (await provTrace.json()) as { entity: object; activity: object; used: object };
    expect(schema.validate(document)).toEqual([]);
    expect(Object.keys(document.entity)).toEqual(
      expect.arrayContaining(['pred:interop-1', model.id, sliceFromOpenLineage, datasetVersion, pipeline.id]),
    );
    expect(Object.keys(document.activity)).toContain(run.id);
    expect(Object.values(document.used)).toContainEqual({
      'prov:activity': run.id,
      'prov:entity': sliceFromOpenLineage,
      'prov:role': 'train',
    });
    const provLineage = await gateway(`/v1/models/${model.id}/lineage.prov.json`);
    const lineageDocument = (await provLineage.json()) as Record<string, Record<string, Record<string, unknown>>>;
    expect(schema.validate(lineageDocument)).toEqual([]);
    await expectReadByThePythonProvPackage('lineage', lineageDocument);
    await expectReadByThePythonProvPackage('trace', document as unknown as typeof lineageDocument);

    // prov attest writes the envelope; securesystemslib verifies it with the key the gateway keeps on disk.
    const envelopeFile = join(work, 'attestation.json');
    const attest = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, ['apps/prov/bin/prov.js', 'attest', model.id, '--out', envelopeFile], {
        cwd: ROOT,
        env: {
          ...process.env,
          PROV_GATEWAY_URL: services.urls['query-gateway'],
          PROV_API_KEY: services.tokens['viewer'],
        },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => done({ code, stderr }));
    });
    expect(attest).toEqual({ code: 0, stderr: '' });
    const key = signingKeyPairFromPem(await services.signingKeyPem('query-gateway'));
    const keyFile = join(work, 'gateway.pub.pem');
    await writeFile(keyFile, key.publicKeyPem);
    const verified = await runPython(python, 'verify_attestation.py', [envelopeFile, keyFile, key.keyId]);
    if (verified.code !== 0) throw new Error(`verify_attestation.py exited ${verified.code}:\n${verified.stderr}`);
    const statement = JSON.parse(verified.stdout);
    expect(statement).toMatchObject({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: model.id, digest: { sha256: artifact.slice('sha256:'.length) } }],
      predicateType: 'https://provenance.dev/ModelLineage/v1',
      predicate: {
        run: { id: run.id, inputs: [{ sliceId: sliceFromOpenLineage, role: 'train' }] },
        pipeline: { id: pipeline.id },
        dataSlices: [{ id: sliceFromOpenLineage, datasetVersionId: datasetVersion }],
        datasetVersions: [{ id: datasetVersion, digest: { sha256: datasetVersion.slice('dsv:sha256:'.length) } }],
      },
    });

    // A statement changed after signing does not verify.
    const envelope = JSON.parse(await readFile(envelopeFile, 'utf8'));
    const forged = { ...statement, subject: [{ name: model.id, digest: { sha256: hex('0') } }] };
    await writeFile(
      envelopeFile,
      JSON.stringify({ ...envelope, payload: Buffer.from(JSON.stringify(forged)).toString('base64') }),
    );
    const refused = await runPython(python, 'verify_attestation.py', [envelopeFile, keyFile, key.keyId]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('VerificationError');
  });
});
