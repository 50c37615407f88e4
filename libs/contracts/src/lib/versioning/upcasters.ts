import type { EventEnvelope } from '../envelope/event-envelope';
import type { EventType } from '../catalog/event-catalog';
import type { ProvenanceEvent } from '../catalog/provenance-event';
import { messageRejectedV1ToV2 } from './message-rejected.v1-to-v2.upcaster';
import { predictionBatchRecordedV1ToV2 } from './prediction-batch-recorded.v1-to-v2.upcaster';
import { trainingRunCompletedV1ToV2 } from './training-run-completed.v1-to-v2.upcaster';
import { trainingRunStartedV1ToV2 } from './training-run-started.v1-to-v2.upcaster';
import { UpcasterRegistry } from './upcaster-registry';

/** The registry of every upcaster the platform knows. */
export const upcasters = new UpcasterRegistry()
  .register(trainingRunStartedV1ToV2)
  .register(trainingRunCompletedV1ToV2)
  .register(predictionBatchRecordedV1ToV2)
  .register(messageRejectedV1ToV2);

export function upcastEvent(event: EventEnvelope<EventType>): ProvenanceEvent {
  return upcasters.upcast(event);
}
