import { uniqueName, type ServiceProcesses } from '@prov/testing';
import type { DeliveryLedger } from '../ledger/delivery-ledger';
import {
  datasetRegistrations,
  gatewayReads,
  LoadLineage,
  modelVersionRegistrations,
  predictionBatches,
} from './provenance-load';
import { SteadyLoad } from './steady-load';

/** Milliseconds between requests of each part of a mixed load. */
export interface MixedLoadIntervals {
  predictions: number;
  reads: number;
  datasets: number;
  modelVersions: number;
}

export interface MixedLoadLedgers {
  predictions: DeliveryLedger;
  reads: DeliveryLedger;
  datasets: DeliveryLedger;
  modelVersions: DeliveryLedger;
}

/**
 * Every service under load at once: prediction batches of 50 (inference),
 * traces, lineage and impact queries of the first acknowledged prediction and
 * the lineage's slice (gateway), dataset registrations (training) and model
 * versions of model `<name>-load` (registry).
 */
export class MixedLoad {
  private readonly loads: Record<keyof MixedLoadIntervals, SteadyLoad>;

  constructor(services: ServiceProcesses, lineage: LoadLineage, name: string, intervals: MixedLoadIntervals) {
    const predictions = new SteadyLoad(predictionBatches(services, lineage, uniqueName(name), 50), intervals.predictions);
    const firstAcknowledged = () => predictions.ledger.acknowledgedIds()[0] ?? 'pred:none';
    this.loads = {
      predictions,
      reads: new SteadyLoad(gatewayReads(services, lineage, firstAcknowledged), intervals.reads),
      datasets: new SteadyLoad(datasetRegistrations(services, uniqueName(`${name}-ds`)), intervals.datasets),
      modelVersions: new SteadyLoad(modelVersionRegistrations(services, lineage, `${name}-load`), intervals.modelVersions),
    };
  }

  start(): this {
    for (const load of Object.values(this.loads)) load.start();
    return this;
  }

  /** Stops every part and waits for the answers still out. */
  async stop(): Promise<MixedLoadLedgers> {
    const [predictions, reads, datasets, modelVersions] = await Promise.all(
      [this.loads.predictions, this.loads.reads, this.loads.datasets, this.loads.modelVersions].map((l) => l.stop()),
    );
    return { predictions, reads, datasets, modelVersions };
  }
}
