import type { FastifyReply } from 'fastify';
import type { Published } from '@prov/publishing';

/** 201 when the request created the record, 200 when it was already there with the same content. */
export function answerPublished(reply: FastifyReply, id: string, published: Published) {
  void reply.status(published.created ? 201 : 200);
  return { id, eventId: published.created ? published.event.eventId : undefined, created: published.created };
}
