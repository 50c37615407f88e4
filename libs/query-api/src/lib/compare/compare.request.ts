import { IsString, Length } from 'class-validator';

/** Two deployments or model versions (`deployment:<name>`, `model:<name>@<version>`). */
export class CompareRequest {
  @IsString() @Length(1, 300) left!: string;
  @IsString() @Length(1, 300) right!: string;
}
