/** The real servers' addresses inside an integration test (set by the global setup). */
export function integrationEnv(): { kafkaBrokers: string[]; mongodbUri: string } {
  const brokers = process.env['KAFKA_BROKERS'];
  const mongodbUri = process.env['MONGODB_URI'];
  if (!brokers || !mongodbUri) {
    throw new Error(
      'KAFKA_BROKERS / MONGODB_URI are not set: run integration tests through their Nx target (nx run <project>:integration)',
    );
  }
  return { kafkaBrokers: brokers.split(','), mongodbUri };
}
