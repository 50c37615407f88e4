import { IsIn, IsOptional } from 'class-validator';

export class CompletenessRequest {
  /** The capture level to check against (policies that name required fields and evaluations come with governance). */
  @IsOptional() @IsIn(['standard', 'full']) level?: 'standard' | 'full';
}
