import { dockerEngineAnswers, provideInfrastructure } from './infrastructure';
import { uniqueName } from './unique-names';

describe('integration infrastructure', () => {
  it('uses the servers named by KAFKA_BROKERS and MONGODB_URI when both are set', async () => {
    const infrastructure = await provideInfrastructure({
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      MONGODB_URI: 'mongodb://db:27017/?directConnection=true',
    });
    expect(infrastructure).toMatchObject({
      source: 'environment',
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      mongodbUri: 'mongodb://db:27017/?directConnection=true',
    });
  });

  it('refuses half a configuration rather than mixing servers', async () => {
    await expect(provideInfrastructure({ KAFKA_BROKERS: 'k1:9092' })).rejects.toThrow(
      /both KAFKA_BROKERS and MONGODB_URI/,
    );
  });

  it('does not mistake a missing Docker socket for an engine', async () => {
    await expect(dockerEngineAnswers({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' })).resolves.toBe(false);
  });

  it('gives names no other test or run shares', () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueName('topic')));
    expect(names.size).toBe(100);
    expect([...names][0]).toMatch(/^topic-t[a-z0-9]+-\d+-\d+$/);
  });
});
