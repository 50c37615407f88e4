import { digestOf } from '@prov/integrity';
import type { LineageStore, ViewGeneration } from '@prov/lineage-store';
import { readRecordedPredictions } from '@prov/projections';
import type { KnownPredictions } from './known-predictions.port';
import type { RecordedPredictionContent } from './prediction-content';

/**
 * The recorded predictions as the active view generation holds them: the
 * record that stands for each id (the first one made), so that a re-send is
 * answered from it whatever process published it. Meant for a store read in
 * process (the embedded mode); on a remote store every new id would cost a
 * round trip on the hot path.
 */
export class ViewKnownPredictions implements KnownPredictions {
  private opened?: { name: string; generation: Promise<ViewGeneration> };

  constructor(private readonly store: LineageStore) {}

  async lookup(ids: readonly string[]): Promise<Map<string, RecordedPredictionContent>> {
    const known = new Map<string, RecordedPredictionContent>();
    const active = await this.store.activeGeneration();
    if (active === undefined) return known;
    if (this.opened?.name !== active) this.opened = { name: active, generation: this.store.generation(active) };
    for (const [id, recorded] of await readRecordedPredictions(await this.opened.generation, ids)) {
      known.set(id, {
        batchId: recorded.batchId,
        deploymentId: recorded.deploymentId,
        modelVersionId: recorded.modelVersionId,
        artifactDigest: recorded.artifactDigest,
        inputDigest: recorded.inputDigest,
        ...(recorded.outputDigest === undefined ? {} : { outputDigest: recorded.outputDigest }),
        ...(recorded.output === undefined ? {} : { rawOutputDigest: digestOf(recorded.output) }),
        ...(recorded.sealedOutput === undefined ? {} : { sealedOutputDigest: recorded.sealedOutput.digest }),
      });
    }
    return known;
  }
}
