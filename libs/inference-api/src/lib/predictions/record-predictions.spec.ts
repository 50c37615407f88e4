import { generateApiKey } from '@prov/auth';
import { Topics, type EventEnvelope, type SealedValue } from '@prov/contracts';
import { digestOf } from '@prov/integrity';
import { InMemoryKeyEncryptionKeys, InMemorySubjectKeyStore } from '@prov/lineage-store';

import { ProducerServiceUnderTest, readEvents, startProducerServiceUnderTest } from '@prov/testing';
import fc from 'fast-check';
import { createInferenceService, type InferenceServiceOptions } from '../inference-service';
import type { KnownPredictions } from './known-predictions.port';
import type { RecordedPredictionContent } from './prediction-content';

function subjectKeysInMemory() {
  const keks = new InMemoryKeyEncryptionKeys();
  return { store: new InMemorySubjectKeyStore(keks), keks };
}

const serving = generateApiKey('svc-churn', ['ml-service']);
const digest = (c: string) => `sha256:${c.repeat(64)}`;

interface Sent {
  id: string;
  at?: string;
  inputDigest?: string;
  outputDigest?: string;
  output?: unknown;
  dataSubject?: string;
}

const batch = (predictions: Sent[], modelVersionId = 'model:churn@3.1.0') => ({
  deployment: 'churn-api',
  modelVersionId,
  artifactDigest: digest('9'),
  predictions: predictions.map((p) => ({ at: '2026-11-04T12:00:00Z', inputDigest: digest('3'), ...p })),
});
const ids = (...names: string[]) => names.map((id) => ({ id, outputDigest: digest('4') }));

interface RecordedBatch {
  batchId: string;
  deploymentId: string;
  modelVersionId: string;
  artifactDigest: string;
  predictions: Array<{
    predictionId: string;
    inputDigest: string;
    outputDigest?: string;
    output?: unknown;
    sealedOutput?: SealedValue;
  }>;
}

const recordedBatches = async (service: ProducerServiceUnderTest) =>
  (await readEvents(service.log, Topics.inference)).map((e: EventEnvelope) => e.payload as RecordedBatch);
const publishedIds = async (service: ProducerServiceUnderTest) =>
  (await recordedBatches(service)).flatMap((b) => b.predictions.map((p) => p.predictionId));

/** What an adapter over the recorded predictions answers: the first record of each id, read from the log. */
function knownFromLog(service: () => ProducerServiceUnderTest): KnownPredictions & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    async lookup(wanted) {
      asked.push([...wanted]);
      const found = new Map<string, RecordedPredictionContent>();
      for (const { predictions, ...facts } of await recordedBatches(service())) {
        for (const p of predictions) {
          if (!wanted.includes(p.predictionId) || found.has(p.predictionId)) continue;
          found.set(p.predictionId, {
            batchId: facts.batchId,
            deploymentId: facts.deploymentId,
            modelVersionId: facts.modelVersionId,
            artifactDigest: facts.artifactDigest,
            inputDigest: p.inputDigest,
            ...(p.outputDigest === undefined ? {} : { outputDigest: p.outputDigest }),
            ...(p.output === undefined ? {} : { rawOutputDigest: digestOf(p.output) }),
            ...(p.sealedOutput === undefined ? {} : { sealedOutputDigest: p.sealedOutput.digest }),
          });
        }
      }
      return found;
    },
  };
}

describe('recording predictions that were recorded before', () => {
  let service: ProducerServiceUnderTest;
  const start = async (options: Omit<InferenceServiceOptions, 'policies'> = {}) => {
    service = await startProducerServiceUnderTest(
      (deps) => createInferenceService(deps, { policies: [], ...options }),
      [serving.record],
    );
    return service;
  };
  afterEach(() => service.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    service.post('/v1/predictions:batch', body, serving.token, headers);

  describe('remembered by the service', () => {
    beforeEach(() => start());

    it('answers a re-send of the same content as a duplicate of its batch, and publishes it once', async () => {
      const first = await post(batch(ids('a', 'b')));
      const resent = await post(
        batch([
          { id: 'b', outputDigest: digest('4'), at: '2026-11-04T12:00:09Z' },
          { id: 'a', outputDigest: digest('4') },
        ]),
      );
      expect(resent.statusCode).toBe(200);
      expect(resent.json()).toEqual({
        accepted: 0,
        duplicate: true,
        duplicates: ['pred:b', 'pred:a'],
        batchId: first.json().batchId,
      });
      expect(await publishedIds(service)).toEqual(['pred:a', 'pred:b']);
    });

    it('answers a batch of re-sends from several batches with no single batch id', async () => {
      await post(batch(ids('a')));
      await post(batch(ids('b')));
      expect((await post(batch(ids('a', 'b')))).json()).toEqual({
        accepted: 0,
        duplicate: true,
        duplicates: ['pred:a', 'pred:b'],
        batchId: null,
      });
    });

    it.each([
      ['another model version', batch(ids('a', 'b', 'c'), 'model:churn@3.2.0'), ['modelVersionId']],
      [
        'another input digest',
        batch([...ids('a', 'b'), { id: 'c', outputDigest: digest('4'), inputDigest: digest('5') }]),
        ['inputDigest'],
      ],
      ['another output digest', batch([...ids('a', 'b'), { id: 'c', outputDigest: digest('6') }]), ['outputDigest']],
      ['no output digest', batch([...ids('a', 'b'), { id: 'c' }]), ['outputDigest']],
      ['an output', batch([...ids('a', 'b'), { id: 'c', outputDigest: digest('4'), output: 1 }]), ['output']],
    ])(
      'refuses a re-send with %s, naming the prediction and the field, and publishes nothing',
      async (_, body, fields) => {
        const first = await post(batch(ids('c')));
        const refused = await post(body);
        expect(refused.statusCode).toBe(409);
        expect(refused.json()).toEqual({
          error: {
            code: 'conflict',
            message: '1 prediction(s) contradict earlier records',
            details: [
              {
                path: 'predictions[2]',
                problem: expect.stringContaining(`pred:c was recorded in ${first.json().batchId}`),
                predictionId: 'pred:c',
                fields,
                earlierBatchId: first.json().batchId,
              },
            ],
          },
        });
        expect(await publishedIds(service)).toEqual(['pred:c']);
      },
    );

    it('refuses a re-send of an output with another value, whatever its key order otherwise', async () => {
      await post(batch([{ id: 'a', output: { score: 0.7, label: 'churn' } }]));
      expect((await post(batch([{ id: 'a', output: { label: 'churn', score: 0.7 } }]))).statusCode).toBe(200);
      const refused = await post(batch([{ id: 'a', output: { label: 'churn', score: 0.8 } }]));
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.details[0].fields).toEqual(['output']);
    });

    it('publishes only the new predictions of a mixed batch, naming the duplicates it skipped', async () => {
      await post(batch(ids('a', 'b')));
      const mixed = await post(batch(ids('c', 'a', 'd', 'b')));
      expect(mixed.statusCode).toBe(201);
      expect(mixed.json()).toEqual({
        accepted: 2,
        batchId: expect.stringMatching(/^batch:/),
        duplicates: ['pred:a', 'pred:b'],
      });
      const [, second] = await recordedBatches(service);
      expect(second.batchId).toBe(mixed.json().batchId);
      expect(second.predictions.map((p) => p.predictionId)).toEqual(['pred:c', 'pred:d']);
    });

    it('refuses new predictions under the Idempotency-Key of a batch recorded without them', async () => {
      const first = await post(batch(ids('a', 'b')), { 'idempotency-key': 'k-1' });
      const retry = await post(batch(ids('a', 'b')), { 'idempotency-key': 'k-1' });
      expect(retry.json()).toMatchObject({ duplicate: true, batchId: first.json().batchId });
      const reused = await post(batch(ids('a', 'b', 'c')), { 'idempotency-key': 'k-1' });
      expect(reused.statusCode).toBe(422);
      expect(reused.json().error.details).toEqual([{ path: 'Idempotency-Key', problem: expect.any(String) }]);
      expect((await post(batch(ids('a', 'b', 'c')), { 'idempotency-key': 'k-2' })).statusCode).toBe(201);
      expect(await publishedIds(service)).toEqual(['pred:a', 'pred:b', 'pred:c']);
    });

    it('remembers a prediction only once the log acknowledged it', async () => {
      jest.spyOn(service.log, 'publish').mockRejectedValueOnce(new Error('broker away'));
      expect((await post(batch(ids('a')))).statusCode).toBe(503);
      expect((await post(batch(ids('a')))).statusCode).toBe(201);
      expect(await publishedIds(service)).toEqual(['pred:a']);
    });

    it('publishes once when the same batch arrives twice at the same time', async () => {
      const answers = await Promise.all([post(batch(ids('a', 'b'))), post(batch(ids('b', 'a')))]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 201]);
      expect(await publishedIds(service)).toEqual(['pred:a', 'pred:b']);
    });
  });

  describe('predictions about a data subject', () => {
    beforeEach(() => start({ subjectKeys: subjectKeysInMemory() }));

    it('answers a re-send of a sealed output as a duplicate, and refuses another output', async () => {
      const about = (output: unknown) => batch([{ id: 'a', dataSubject: 'alice', output }]);
      expect((await post(about({ score: 0.7 }))).statusCode).toBe(201);
      expect((await post(about({ score: 0.7 }))).statusCode).toBe(200);
      const refused = await post(about({ score: 0.9 }));
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.details[0].fields).toEqual(['outputDigest', 'output']);
      expect(await publishedIds(service)).toEqual(['pred:a']);
    });
  });

  describe('known only to the known predictions', () => {
    it('asks them when the service remembers nothing (PROV_RECENT_PREDICTIONS=0)', async () => {
      const known = knownFromLog(() => service);
      await start({ recentPredictions: 0, knownPredictions: known, subjectKeys: subjectKeysInMemory() });
      await post(batch([...ids('a'), { id: 's', dataSubject: 'alice', output: 0.7 }]));
      const resent = await post(batch([...ids('a'), { id: 's', dataSubject: 'alice', output: 0.7 }]));
      expect(resent.json()).toMatchObject({ accepted: 0, duplicate: true });
      expect((await post(batch(ids('a'), 'model:churn@4.0.0'))).statusCode).toBe(409);
      expect(await publishedIds(service)).toEqual(['pred:a', 'pred:s']);
      expect(known.asked).toEqual([['pred:a', 'pred:s'], ['pred:a', 'pred:s'], ['pred:a']]);
    });

    it('publishes a re-send again when it remembers nothing and has no one to ask', async () => {
      await start({ recentPredictions: 0 });
      await post(batch(ids('a')));
      expect((await post(batch(ids('a')))).statusCode).toBe(201);
      expect(await publishedIds(service)).toEqual(['pred:a', 'pred:a']);
    });

    it("answers from their record of another replica's batch, asking only about ids it does not remember", async () => {
      const elsewhere: RecordedPredictionContent = {
        batchId: 'batch:0193a0f0-0000-7000-8000-000000000001',
        deploymentId: 'deployment:churn-api',
        modelVersionId: 'model:churn@3.1.0',
        artifactDigest: digest('9'),
        inputDigest: digest('3'),
        outputDigest: digest('4'),
      };
      const asked: string[][] = [];
      await start({
        knownPredictions: {
          lookup: async (wanted) => {
            asked.push([...wanted]);
            return new Map(wanted.filter((id) => id === 'pred:x').map((id) => [id, elsewhere]));
          },
        },
      });
      await post(batch(ids('a')));
      const mixed = await post(batch(ids('a', 'x', 'b')));
      expect(mixed.json()).toMatchObject({ accepted: 1, duplicates: ['pred:a', 'pred:x'] });
      expect((await post(batch(ids('x')))).json()).toMatchObject({ duplicate: true, batchId: elsewhere.batchId });
      const refused = await post(batch([{ id: 'x', outputDigest: digest('5') }]));
      expect(refused.json().error.details).toEqual([
        expect.objectContaining({
          predictionId: 'pred:x',
          fields: ['outputDigest'],
          earlierBatchId: elsewhere.batchId,
        }),
      ]);
      expect(asked).toEqual([['pred:a'], ['pred:x', 'pred:b']]);
    });

    it('answers 503 and publishes nothing when they cannot be read', async () => {
      await start({
        knownPredictions: {
          lookup: () => Promise.reject(new Error('views store unreachable')),
        },
      });
      const refused = await post(batch(ids('a')));
      expect(refused.statusCode).toBe(503);
      expect(refused.json().error.message).toContain('views store unreachable');
      expect(await publishedIds(service)).toEqual([]);
    });
  });

  describe('over any interleaving of re-sends and contradictions', () => {
    /** A prediction's content: model version 0 or 1 of the request; variant 0, or 1 (another input), or 2 (another output). */
    const MODELS = ['model:churn@3.1.0', 'model:churn@3.2.0'];
    const INPUTS = [digest('3'), digest('5'), digest('3')];
    const OUTPUTS = [digest('4'), digest('4'), digest('6')];
    type Step =
      | { kind: 'send'; model: number; predictions: Array<{ id: number; variant: number }>; keyed: boolean }
      | { kind: 'resend'; of: number; restamp: boolean };
    const steps = fc.array(
      fc.record({
        together: fc.boolean(),
        step: fc.oneof(
          fc.record({
            kind: fc.constant('send' as const),
            model: fc.nat({ max: 1 }),
            predictions: fc.uniqueArray(fc.record({ id: fc.nat({ max: 5 }), variant: fc.nat({ max: 2 }) }), {
              selector: (p) => p.id,
              minLength: 1,
              maxLength: 4,
            }),
            keyed: fc.boolean(),
          }),
          fc.record({ kind: fc.constant('resend' as const), of: fc.nat(), restamp: fc.boolean() }),
        ) as fc.Arbitrary<Step>,
      }),
      { minLength: 1, maxLength: 10 },
    );

    it.each([
      ['remembered by the service', false],
      ['known only to the known predictions', true],
    ])(
      'publishes each accepted prediction id once, with the content it was accepted with (%s)',
      async (_, onlyKnown) => {
        await start(onlyKnown ? { recentPredictions: 0, knownPredictions: knownFromLog(() => service) } : {});
        let run = 0;
        await fc.assert(
          fc.asyncProperty(steps, async (plan) => {
            const prefix = `run${run++}`;
            const requests: Array<{ body: ReturnType<typeof batch>; key?: string }> = [];
            for (const [n, { step }] of plan.entries()) {
              if (step.kind === 'send' || requests.length === 0) {
                const send =
                  step.kind === 'send' ? step : { model: 0, predictions: [{ id: 0, variant: 0 }], keyed: false };
                const body = batch(
                  send.predictions.map(({ id, variant }) => ({
                    id: `${prefix}-${id}`,
                    inputDigest: INPUTS[variant],
                    outputDigest: OUTPUTS[variant],
                  })),
                  MODELS[send.model],
                );
                requests.push({ body, key: send.keyed ? `${prefix}-key-${n}` : undefined });
              } else {
                const earlier = requests[step.of % requests.length];
                const at = step.restamp ? '2026-11-04T12:30:00Z' : '2026-11-04T12:00:00Z';
                requests.push({
                  ...earlier,
                  body: { ...earlier.body, predictions: earlier.body.predictions.map((p) => ({ ...p, at })) },
                });
              }
            }
            // Steps marked `together` go with the one before them, at the same time.
            const answers: Array<Awaited<ReturnType<typeof post>>> = [];
            for (let i = 0; i < requests.length;) {
              let end = i + 1;
              while (end < requests.length && plan[end].together) end++;
              const group = requests.slice(i, end);
              answers.push(
                ...(await Promise.all(group.map(({ body, key }) => post(body, key ? { 'idempotency-key': key } : {})))),
              );
              i = end;
            }

            const published = (await recordedBatches(service)).flatMap((b) =>
              b.predictions
                .filter((p) => p.predictionId.startsWith(`pred:${prefix}-`))
                .map((p) => ({
                  id: p.predictionId,
                  model: b.modelVersionId,
                  input: p.inputDigest,
                  output: p.outputDigest,
                })),
            );
            const content = new Map(published.map((p) => [p.id, p]));
            expect(content.size).toBe(published.length);
            const accepted = answers.reduce((sum, a) => sum + (a.statusCode === 201 ? a.json().accepted : 0), 0);
            expect(accepted).toBe(published.length);
            requests.forEach(({ body }, i) => {
              const { statusCode } = answers[i];
              expect([200, 201, 409]).toContain(statusCode);
              const differs = (p: (typeof body.predictions)[number]) => {
                const recorded = content.get(`pred:${p.id}`);
                return (
                  recorded !== undefined &&
                  (recorded.model !== body.modelVersionId ||
                    recorded.input !== p.inputDigest ||
                    recorded.output !== p.outputDigest)
                );
              };
              if (statusCode === 409) {
                const named: Array<{ predictionId: string }> = answers[i].json().error.details;
                expect(named.length).toBeGreaterThan(0);
                for (const { predictionId } of named)
                  expect(differs(body.predictions.find((p) => `pred:${p.id}` === predictionId) as never)).toBe(true);
              } else {
                for (const p of body.predictions) {
                  expect(content.has(`pred:${p.id}`)).toBe(true);
                  expect(differs(p)).toBe(false);
                }
              }
            });
          }),
          { numRuns: 60 },
        );
      },
      60_000,
    );
  });
});
