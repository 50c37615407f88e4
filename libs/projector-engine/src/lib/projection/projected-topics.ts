import { Topics } from '@prov/contracts';

/** The topics whose events the views are folded from. */
export const PROJECTED_TOPICS: readonly string[] = [Topics.training, Topics.registry, Topics.inference];

/**
 * The topics of the lineage (few events, each of which may recompute a model
 * version's whole closure): one projector replica folds all of them at a
 * time, while the replicas share the inference topic's partitions.
 */
export const LINEAGE_TOPICS: readonly string[] = [Topics.training, Topics.registry];
