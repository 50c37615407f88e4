import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { InvalidConfigError, loadConfig } from './load-config';

class ExampleConfig {
  @IsInt() @Min(1) @Max(65535) PROV_PORT: number = 8081;
  @IsIn(['file', 'kafka']) PROV_EVENT_LOG: 'file' | 'kafka' = 'file';
  @IsOptional() @IsString() KAFKA_BROKERS?: string;
}

describe('service configuration', () => {
  it('uses the embedded-mode defaults when nothing is set', () => {
    expect(loadConfig(ExampleConfig, {})).toEqual({ PROV_PORT: 8081, PROV_EVENT_LOG: 'file' });
  });

  it('reads set variables, optional ones included, converting numbers', () => {
    const config = loadConfig(ExampleConfig, {
      PROV_PORT: '9000',
      PROV_EVENT_LOG: 'kafka',
      KAFKA_BROKERS: 'k:9092',
      OTHER: 'x',
    });
    expect(config).toEqual({ PROV_PORT: 9000, PROV_EVENT_LOG: 'kafka', KAFKA_BROKERS: 'k:9092' });
  });

  it('stops with a message naming each invalid variable and its value', () => {
    expect(() => loadConfig(ExampleConfig, { PROV_PORT: 'abc', PROV_EVENT_LOG: 'zookeeper' })).toThrow(
      InvalidConfigError,
    );
    expect(() => loadConfig(ExampleConfig, { PROV_PORT: '70000' })).toThrow(/PROV_PORT="70000"/);
    expect(() => loadConfig(ExampleConfig, { PROV_EVENT_LOG: 'zookeeper' })).toThrow(/PROV_EVENT_LOG="zookeeper"/);
  });
});
