import { ValidationPipe } from '@nestjs/common';
import { toValidationProblems } from '@prov/contracts';
import { InvalidRequestError } from './errors/api-error';

/**
 * The global request validation: class-validator DTOs, unknown fields
 * refused (so `$`-prefixed or dotted keys outside user-supplied maps are
 * refused too), no implicit type conversion, and every problem reported
 * with its field path.
 */
export function createRequestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InvalidRequestError(toValidationProblems(errors)),
  });
}
