import type { Role } from '@prov/auth';
import type { PredictionTrace } from '@prov/lineage-queries';
import { ProvenanceClient } from '@prov/sdk';
import { ServiceProcesses } from '@prov/testing';

export { productionEnv, type ServiceName } from '@prov/testing';

/** The platform's services as separate processes (libs/testing), with the SDK client and trace helpers of the e2e suites. */
export class RunningServices extends ServiceProcesses {
  /** A client of the producer services, as the given role, that does not retry (tests see every failure). */
  client(role: Role): ProvenanceClient {
    return new ProvenanceClient({
      apiKey: this.tokens[role],
      trainingUrl: this.urls['training-service'],
      registryUrl: this.urls['registry-service'],
      inferenceUrl: this.urls['inference-service'],
      retry: { retries: 0 },
    });
  }

  /**
   * A prediction's standard trace once it finds every link (the projector
   * folds each topic on its own, so links arrive one by one), or the last
   * answer after 60 s, for the caller to assert on.
   */
  async traceOnceComplete(predictionId: string, role: Role): Promise<PredictionTrace | undefined> {
    const deadline = Date.now() + 60_000;
    let trace: PredictionTrace | undefined;
    do {
      const answer = await fetch(`${this.urls['query-gateway']}/v1/predictions/${predictionId}/trace`, {
        headers: { authorization: `Bearer ${this.tokens[role]}` },
      });
      trace = answer.status === 200 ? ((await answer.json()) as PredictionTrace) : undefined;
      if (trace?.completeness.complete) return trace;
      await new Promise((r) => setTimeout(r, 250));
    } while (Date.now() < deadline);
    return trace;
  }
}
