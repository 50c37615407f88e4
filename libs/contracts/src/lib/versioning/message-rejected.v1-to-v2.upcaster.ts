import type { Upcaster } from './upcaster-registry';

/** `deadletter.message.rejected` v1 named one of fewer reasons; each is a v2 reason too. */
export const messageRejectedV1ToV2: Upcaster = {
  type: 'deadletter.message.rejected',
  fromVersion: 1,
  upcast: (payload) => ({ ...payload }),
};
