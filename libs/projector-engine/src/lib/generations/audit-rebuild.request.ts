import { IsString, Matches } from 'class-validator';

export class AuditRebuildRequest {
  /** Events recorded up to this time (ISO 8601) are folded; later ones are left out. */
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'asOf must be an ISO 8601 time with a zone, e.g. 2026-11-04T12:00:00Z',
  })
  asOf!: string;
  /** The audit generation is named `audit-<name>`. */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'name must be 1 to 40 of [a-z0-9-]' })
  name!: string;
}
