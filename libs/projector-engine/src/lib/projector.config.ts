import { ProducerServiceConfig } from '@prov/http-service';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';

/**
 * The projector's settings: those of every service (event log, data
 * directory, API keys, signing key), plus its store and the keys it trusts.
 */
export class ProjectorConfig extends ProducerServiceConfig {
  @IsInt() @Min(1) @Max(65535) PROV_PROJECTOR_PORT: number = 8084;
  /**
   * `lmdb`: the embedded mode's views on disk (`<PROV_DATA_DIR>/views`), resumed at start; `memory`: in
   * process memory, rebuilt from the log at start; `mongodb`: MONGODB_URI.
   */
  @IsIn(['lmdb', 'memory', 'mongodb']) PROV_STORE: 'lmdb' | 'memory' | 'mongodb' = 'lmdb';
  @IsOptional() @IsString() MONGODB_URI?: string;
  @IsString() MONGODB_DATABASE: string = 'provenance';
  /**
   * JSON `{ "keys": [{ "service", "pem" }] }` (or a file of it) of the keys producers sign with.
   * Without it, the keys in `<data dir>/keys/<service>.pem` (the embedded mode's services) are trusted.
   */
  @IsOptional() @IsString() PROV_TRUSTED_KEYS?: string;
  @IsOptional() @IsString() PROV_TRUSTED_KEYS_FILE?: string;
  @Transform(({ obj, key }) => ({ true: true, false: false })[String(obj[key]) as 'true' | 'false'] ?? obj[key])
  @IsBoolean()
  PROV_REQUIRE_SIGNATURES: boolean = true;
  /** Most records folded in one store round (one partition's consecutive records). */
  @IsInt() @Min(1) @Max(10_000) PROV_PROJECTOR_BATCH_SIZE: number = 200;
  /**
   * Lineage view documents (and edge lists) the replica that folds the
   * lineage keeps in memory, least recently used dropped first, so that a
   * model version's closure is not read from the store again for each
   * batch. The in-process store (`PROV_STORE=memory`) needs none.
   */
  @IsInt() @Min(0) @Max(10_000_000) PROV_PROJECTOR_LINEAGE_CACHE: number = 50_000;
  /** How often catch-up progress is reported and the active generation looked up. */
  @IsInt() @Min(50) PROV_PROJECTOR_POLL_MS: number = 2000;
  /**
   * A partition with records to fold (of the live generation, or of one being
   * built) that is not delivered for this long (seconds) has its consumer
   * leave and join the group again (see Projector).
   */
  @IsInt() @Min(5) PROV_PROJECTOR_STALL_SECONDS: number = 90;
  /** Audit generations kept once built; the oldest beyond this are dropped. */
  @IsInt() @Min(1) @Max(1000) PROV_PROJECTOR_AUDIT_GENERATIONS: number = 10;
  /** The audit log signs a checkpoint of a partition's log after this many new leaves... */
  @IsInt() @Min(1) PROV_AUDIT_CHECKPOINT_EVERY: number = 1000;
  /** ...and this often (seconds) for a log that grew. */
  @IsInt() @Min(1) PROV_AUDIT_CHECKPOINT_SECONDS: number = 30;
  /** Each alert the live generation raises is posted here once (JSON, Idempotency-Key = the alert id); unset: none. */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) PROV_ALERT_WEBHOOK_URL?: string;
  /** Attempts after the first, with exponential backoff from 0.5 s up to 30 s, before an alert is given up on. */
  @IsInt() @Min(0) @Max(20) PROV_ALERT_WEBHOOK_RETRIES: number = 5;
}

/** The lineage cache's entries: none over the in-process store, whose reads are already in memory. */
export function lineageCacheEntries(config: ProjectorConfig): number {
  return config.PROV_STORE === 'memory' ? 0 : config.PROV_PROJECTOR_LINEAGE_CACHE;
}

/** The alert webhook a configuration names, if any (ProjectorDependencies.alertWebhook). */
export function alertWebhookSettings(config: ProjectorConfig): { url: string; retries: number } | undefined {
  return config.PROV_ALERT_WEBHOOK_URL
    ? { url: config.PROV_ALERT_WEBHOOK_URL, retries: config.PROV_ALERT_WEBHOOK_RETRIES }
    : undefined;
}
