import { Topics } from '@prov/contracts';

/** The topics whose events the views are folded from. */
export const PROJECTED_TOPICS: readonly string[] = [Topics.training, Topics.registry, Topics.inference];
