import { Body, Controller, HttpCode, Inject, Logger, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { ApiAnswer, ApiRefusal, CurrentPrincipal, plain, RequireRoles, UnprocessableError } from '@prov/http-service';
import { SUBJECT_SEALING, type SubjectSealing } from '../predictions/subject-sealing';
import { RotateKeyEncryptionKeyRequest } from './rotate-key-encryption-key.request';

@ApiTags('key-encryption-keys')
@Controller('v1/key-encryption-keys')
@RequireRoles('data-steward')
export class KeyEncryptionKeysHttpController {
  private readonly logger = new Logger('key-encryption-keys');

  constructor(@Inject(SUBJECT_SEALING) private readonly sealing: SubjectSealing | null) {}

  /**
   * Rotates the key that wraps the data subjects' keys: a new one wraps
   * every live subject key, then the earlier ones are destroyed. Whatever an
   * erased subject's key left in the store's files, logs or backups opens
   * nothing afterwards. Every service that opens sealed values must read the
   * same keyring (PROV_KEYRING_FILE).
   */
  @ApiAnswer(
    200,
    'KeyEncryptionKeyRotated',
    'Every live subject key is wrapped under a new key; the old ones are destroyed',
  )
  @ApiRefusal(422, 'This inference service has no store for data-subject keys')
  @Post('rotation')
  @HttpCode(200)
  async rotate(@Body() body: RotateKeyEncryptionKeyRequest, @CurrentPrincipal() principal: Principal) {
    if (!this.sealing) throw new UnprocessableError('this inference service has no store for data-subject keys', []);
    const rotation = await this.sealing.rotate();
    this.logger.log(
      `${principal.id} rotated the key-encryption key (${plain(body).reason}): ${rotation.rewrapped} subject key(s) ` +
        `wrapped under ${rotation.current}, destroyed ${rotation.retired.join(', ') || 'none'}`,
    );
    return rotation;
  }
}
