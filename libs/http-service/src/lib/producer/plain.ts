/**
 * A validated request DTO as plain JSON: the ValidationPipe hands over class
 * instances, while events carry plain JSON that canonical JSON can digest.
 */
export function plain<T extends object>(dto: T): T {
  return JSON.parse(JSON.stringify(dto)) as T;
}
