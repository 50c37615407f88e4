// Implicit conversion reads the declared property types through the Reflect API.
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';

export class InvalidConfigError extends Error {
  readonly retriable = false;
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidConfigError';
  }
}

/**
 * Reads a service's configuration from environment variables into a
 * class-validator class whose properties are the variables' names and whose
 * initialisers are the embedded-mode defaults. Invalid values stop start-up
 * with a message naming each variable. Declare each property's type
 * (`PORT: number = 8081`): conversion from the environment's strings follows it.
 */
export function loadConfig<T extends object>(configClass: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defaults = new configClass();
  // Optional settings have no initialiser, so their names come from the validation metadata.
  const names = new Set([
    ...Object.keys(defaults),
    ...getMetadataStorage()
      .getTargetValidationMetadatas(configClass, '', true, false)
      .map((m) => m.propertyName),
  ]);
  const given = Object.fromEntries(
    [...names].filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]]),
  );
  const config = plainToInstance(configClass, { ...defaults, ...given }, { enableImplicitConversion: true });
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new InvalidConfigError(
      errors.map(
        (e) =>
          `${e.property}=${JSON.stringify(given[e.property] ?? null)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
      ),
    );
  }
  return config;
}
