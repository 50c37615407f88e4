import { provideInfrastructure } from './infrastructure';
import { testRunId } from './unique-names';

/**
 * Jest globalSetup of every integration (`*.int-spec.ts`) and e2e suite:
 * provides real servers and hands their addresses to the test workers
 * through the environment.
 */
export default async function integrationGlobalSetup(): Promise<void> {
  const infrastructure = await provideInfrastructure();
  process.env['KAFKA_BROKERS'] = infrastructure.kafkaBrokers.join(',');
  process.env['MONGODB_URI'] = infrastructure.mongodbUri;
  process.env['PROV_INFRA_SOURCE'] = infrastructure.source;
  testRunId();
  (globalThis as { __provInfrastructure?: typeof infrastructure }).__provInfrastructure = infrastructure;
  console.log(
    `\nintegration servers (${infrastructure.source}): kafka ${process.env['KAFKA_BROKERS']}, store ${infrastructure.mongodbUri}`,
  );
}
