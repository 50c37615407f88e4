/** File name of the JSON Schema of one event type at one schema version, under libs/contracts/schemas/. */
export function eventJsonSchemaFileName(type: string, schemaVersion: number): string {
  return `${type}.v${schemaVersion}.schema.json`;
}
