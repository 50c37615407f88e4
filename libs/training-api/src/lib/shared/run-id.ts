const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Accepts `run:<uuid>` or a bare UUID (as training code usually holds it). */
export function normaliseRunId(value: unknown): unknown {
  return typeof value === 'string' && UUID.test(value) ? `run:${value}` : value;
}
