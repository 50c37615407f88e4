import { InvalidGenerationNameError } from './lineage-store.errors';

/** Short enough to fit collection names, and safe in them and in offset ids (`<generation>|<topic>|<partition>`). */
const GENERATION_NAME = /^[a-z0-9][a-z0-9-]{0,47}$/;

export function checkGenerationName(name: string): string {
  if (typeof name !== 'string' || !GENERATION_NAME.test(name)) throw new InvalidGenerationNameError(String(name));
  return name;
}
