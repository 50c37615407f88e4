import { ArgumentMetadata, Type, ValidationPipe } from '@nestjs/common';
import { toValidationProblems, validatedClassSchemas } from '@prov/contracts';
import { InvalidRequestError } from './errors/api-error';
import { nullFields } from './json-body/null-fields';

type Schema = Record<string, unknown>;

/**
 * The global request validation: class-validator DTOs, unknown fields
 * refused (so `$`-prefixed or dotted keys outside user-supplied maps are
 * refused too), null refused where the schema has none, no implicit type
 * conversion, and every problem reported with its field path.
 */
class RequestValidationPipe extends ValidationPipe {
  private schemas: Record<string, Schema> | undefined;

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && typeof value === 'object' && value !== null) {
      // Read once the controllers are loaded: every request class is declared by then.
      this.schemas ??= validatedClassSchemas('#/components/schemas/');
      const schema = schemaOf(metadata.metatype, this.schemas);
      const problems = schema ? nullFields(value, schema, this.schemas) : [];
      if (problems.length > 0) throw new InvalidRequestError(problems);
    }
    return super.transform(value, metadata);
  }
}

/** A request class's schema, or its nearest validated ancestor's (a class that only extends a mapped type). */
function schemaOf(type: Type, schemas: Record<string, Schema>): Schema | undefined {
  for (let current = type; current?.name; current = Object.getPrototypeOf(current)) {
    if (schemas[current.name]) return schemas[current.name];
  }
  return undefined;
}

export function createRequestValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InvalidRequestError(toValidationProblems(errors)),
  });
}
