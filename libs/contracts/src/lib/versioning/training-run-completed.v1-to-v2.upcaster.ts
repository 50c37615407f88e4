import type { Upcaster } from './upcaster-registry';

/** `training.run.completed` v1 reported no seeds; as v2 it reports none either. */
export const trainingRunCompletedV1ToV2: Upcaster = {
  type: 'training.run.completed',
  fromVersion: 1,
  upcast: (payload) => ({ ...payload }),
};
