import type { Upcaster } from './upcaster-registry';

/**
 * `training.run.started` v1 carried one global `seed`; v2 records seeds by
 * purpose. The v1 seed becomes `seeds.global`, which is what it was.
 */
export const trainingRunStartedV1ToV2: Upcaster = {
  type: 'training.run.started',
  fromVersion: 1,
  upcast: ({ seed, ...rest }) => ({ ...rest, seeds: { global: seed } }),
};
