export interface MongoLineageStoreOptions {
  /** A MongoDB connection string, e.g. `mongodb://127.0.0.1:27017/?directConnection=true`. */
  uri: string;
  /** @defaultValue 'provenance' */
  database?: string;
  /** How long an operation waits for a reachable server before failing with LineageStoreUnavailableError. @defaultValue 30000 */
  serverSelectionTimeoutMS?: number;
}
