import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiRefusal, RequireRoles, UnprocessableError } from '@prov/http-service';
import { SUBJECT_SEALING, type SubjectSealing } from '../predictions/subject-sealing';

@ApiTags('key-encryption-keys')
@Controller('v1/key-encryption-keys')
@RequireRoles('data-steward')
export class KeyEncryptionKeysHttpController {
  constructor(@Inject(SUBJECT_SEALING) private readonly sealing: SubjectSealing | null) {}

  /**
   * Rotates the key that wraps the data subjects' keys: a new one wraps
   * every live subject key, then the earlier ones are destroyed. Whatever an
   * erased subject's key left in the store's files, logs or backups opens
   * nothing afterwards. Every service that opens sealed values must read the
   * same keyring (PROV_KEYRING_FILE).
   */
  @ApiAnswer(200, 'KeyEncryptionKeyRotated', 'Every live subject key is wrapped under a new key; the old ones are destroyed')
  @ApiRefusal(422, 'This inference service has no store for data-subject keys')
  @Post('rotation')
  @HttpCode(200)
  rotate() {
    if (!this.sealing) throw new UnprocessableError('this inference service has no store for data-subject keys', []);
    return this.sealing.rotate();
  }
}
