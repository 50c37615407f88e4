import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { toValidationProblems } from '@prov/contracts';
import { FieldTooLargeError, InvalidRequestError } from './errors/api-error';
import { DEFAULT_MAX_FIELD_BYTES, fieldProblems } from './json-body/field-checks';

type Schema = Record<string, unknown>;

/**
 * The global request validation: class-validator DTOs, unknown fields
 * refused (so `$`-prefixed or dotted keys outside user-supplied maps are
 * refused too), null refused where the schema has none, each value of a
 * free-form map bounded in size (413), no implicit type conversion, and
 * every problem reported with its field path.
 */
class RequestValidationPipe extends ValidationPipe {
  constructor(
    options: ConstructorParameters<typeof ValidationPipe>[0],
    private readonly schemas: Record<string, Schema>,
    private readonly maxFieldBytes: number,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body' || !metadata.metatype || typeof value !== 'object' || value === null)
      return super.transform(value, metadata);
    const schema = this.schemas[metadata.metatype.name];
    const { nulls, tooLarge } = schema
      ? fieldProblems(value, schema, this.schemas, this.maxFieldBytes)
      : { nulls: [], tooLarge: [] };
    if (tooLarge.length > 0) throw new FieldTooLargeError(tooLarge);
    let validated: unknown;
    try {
      validated = await super.transform(value, metadata);
    } catch (error) {
      // Every problem at once: the nulls beside what the validation rules found, each path once.
      if (!(error instanceof InvalidRequestError) || nulls.length === 0) throw error;
      const named = new Set(nulls.map((p) => p.path));
      throw new InvalidRequestError([...nulls, ...error.details.filter((p) => !named.has(p.path))]);
    }
    if (nulls.length > 0) throw new InvalidRequestError(nulls);
    return validated;
  }
}

/** `schemas`: the JSON Schema of each request class, by class name (what the OpenAPI document holds). */
export function createRequestValidationPipe(
  schemas: Record<string, Schema>,
  maxFieldBytes = DEFAULT_MAX_FIELD_BYTES,
): ValidationPipe {
  return new RequestValidationPipe(
    {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new InvalidRequestError(toValidationProblems(errors)),
    },
    schemas,
    maxFieldBytes,
  );
}
