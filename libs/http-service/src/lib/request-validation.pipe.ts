import { ArgumentMetadata, Type, ValidationPipe } from '@nestjs/common';
import { toValidationProblems, validatedClassSchemas } from '@prov/contracts';
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
  private schemas: Record<string, Schema> | undefined;

  constructor(
    options: ConstructorParameters<typeof ValidationPipe>[0],
    private readonly maxFieldBytes: number,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body' || !metadata.metatype || typeof value !== 'object' || value === null)
      return super.transform(value, metadata);
    // Read once the controllers are loaded: every request class is declared by then.
    this.schemas ??= validatedClassSchemas('#/components/schemas/');
    const schema = schemaOf(metadata.metatype, this.schemas);
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

/** A request class's schema, or its nearest validated ancestor's (a class that only extends a mapped type). */
function schemaOf(type: Type, schemas: Record<string, Schema>): Schema | undefined {
  for (let current = type; current?.name; current = Object.getPrototypeOf(current)) {
    if (schemas[current.name]) return schemas[current.name];
  }
  return undefined;
}

export function createRequestValidationPipe(maxFieldBytes = DEFAULT_MAX_FIELD_BYTES): ValidationPipe {
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
    maxFieldBytes,
  );
}
