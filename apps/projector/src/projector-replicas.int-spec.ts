import { VIEW_NAMES, servedTotals } from '@prov/projections';
import { buildProvenanceScenario } from '@prov/testing';
import { ProjectorProcess, ProjectorProcesses } from './projector-processes.test-helper';

/**
 * Projector replicas as processes of one consumer group on real Kafka and
 * FerretDB, while a history streams in in which a tenth of the prediction
 * ids are sent again (a third with the same content, the others
 * contradicting the first record, some through another deployment): one
 * replica is SIGKILLed twice and a fourth joins mid-run. Afterwards the
 * views must be identical to a clean rebuild by one process, every count
 * must come to the distinct prediction ids, and every contradicted id must
 * have its one conflicting-prediction alert.
 */
/** 12,000 by default; `PROV_REPLICAS_TEST_PREDICTIONS=300000` for the full-size run (minutes on FerretDB/PostgreSQL). */
const predictions = Number(process.env['PROV_REPLICAS_TEST_PREDICTIONS'] ?? 12_000);
const scenario = buildProvenanceScenario({ predictions, predictionsPerBatch: 300, resendEvery: 10 });
let processes: ProjectorProcesses;

beforeAll(async () => {
  processes = await ProjectorProcesses.open('replicas', scenario);
}, 60_000);

afterAll(async () => {
  await processes?.close();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Prediction batches a replica folded since it started, from its own metrics. */
async function batchesFoldedBy(replica: ProjectorProcess): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${replica.port}/metrics`).then((r) => r.text());
  return text
    .split('\n')
    .filter((line) => line.startsWith('projector_events_applied_total') && line.includes('prediction.batch.recorded'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

describe('projector replicas on real Kafka and FerretDB', () => {
  it(
    'share the predictions, and end as one replica would, each prediction id counted once',
    async () => {
      const { store } = processes;
      await processes.ensureTopics();
      // Spread over 20 s: the replicas join, are killed and are added while it streams in.
      const publishing = processes.publishScenario(20, 20_000);

      const replicas = [await processes.start(), await processes.start(), await processes.start()];
      for (let kill = 0; kill < 2; kill++) {
        await pause(3000 + Math.random() * 3000);
        await replicas[0].kill('SIGKILL');
        replicas[0] = await processes.start([], replicas[0].port);
      }
      replicas.push(await processes.start());
      await publishing;

      const live = await processes.untilActiveCaughtUp(Math.max(600_000, predictions * 4));
      const folded = await Promise.all(replicas.map((replica) => batchesFoldedBy(replica)));
      // The group shared the inference partitions: more than one replica folded predictions.
      expect(folded.filter((batches) => batches > 0).length).toBeGreaterThan(1);
      for (const replica of replicas) expect(await replica.kill('SIGTERM')).toBe(0);

      const rebuilt = JSON.parse(await processes.runToEnd(['rebuild'])).generation as string;
      expect(rebuilt).not.toBe(live);
      const [shared, clean] = [await processes.viewsOf(live), await processes.viewsOf(rebuilt)];
      for (const view of VIEW_NAMES) expect({ view, docs: shared[view] }).toEqual({ view, docs: clean[view] });

      const views = await store.generation(rebuilt);
      const totals = await servedTotals(views, { modelVersionId: { in: scenario.modelVersionIds } }, 'modelVersionId');
      expect(totals.reduce((sum, total) => sum + total.predictions, 0)).toBe(scenario.predictionCount);
      expect(clean['predictions']).toHaveLength(scenario.predictionCount);
      expect(clean['prediction_losses']).toHaveLength(scenario.resentIds.length);
      const conflicts = clean['alerts'].filter((alert) => alert['type'] === 'conflicting-prediction');
      expect(conflicts.map((alert) => alert['subject']).sort()).toEqual([...scenario.conflictingIds].sort());
    },
    Math.max(1_200_000, predictions * 10),
  );
});
