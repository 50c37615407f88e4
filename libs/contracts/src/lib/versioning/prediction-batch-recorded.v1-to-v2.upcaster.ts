import type { Upcaster } from './upcaster-registry';

/** `prediction.batch.recorded` v1 predictions name no data subject and carry nothing sealed: each is a v2 one. */
export const predictionBatchRecordedV1ToV2: Upcaster = {
  type: 'prediction.batch.recorded',
  fromVersion: 1,
  upcast: (payload) => ({ ...payload }),
};
