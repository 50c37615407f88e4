import { applyDecorators } from '@nestjs/common';
import { ApiAnswer, ApiRefusal } from '../openapi/openapi.decorators';

/**
 * What a route that records an immutable record answers (see answerPublished):
 * 201 when it published the event, 200 when the same record was there
 * already, 409 when one of that id was recorded with other content, 422 when
 * a record the body refers to is not registered.
 */
export const ApiRecords = (what: string, answer = 'Registered') =>
  applyDecorators(
    ApiAnswer(201, answer, `${what}: the event was published`),
    ApiAnswer(200, answer, `${what} was recorded before with the same content; nothing was published`),
    ApiRefusal(409, `${what} of that id was recorded before with other content (records are immutable)`),
    ApiRefusal(422, 'A record the body refers to is not registered (each named with its path)'),
  );
