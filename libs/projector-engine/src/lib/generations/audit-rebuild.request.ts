import { IsTimestamp } from '@prov/contracts';
import { IsString, Matches } from 'class-validator';

export class AuditRebuildRequest {
  /** Events recorded up to this time (RFC 3339, with an offset) are folded; later ones are left out. */
  @IsTimestamp()
  asOf!: string;
  /** The audit generation is named `audit-<name>`. */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'name must be 1 to 40 of [a-z0-9-]' })
  name!: string;
}
