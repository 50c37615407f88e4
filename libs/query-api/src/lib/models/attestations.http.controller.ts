import { ApiAnswer } from '@prov/http-service';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { SigningKeyPair } from '@prov/integrity';
import { ATTESTATION_KEY } from './models.http.controller';

/** The public key that verifies the gateway's attestations, for verifiers without one at hand. */
@ApiTags('models')
@Controller('v1/attestations')
export class AttestationsHttpController {
  constructor(@Inject(ATTESTATION_KEY) private readonly key: SigningKeyPair) {}

  @ApiAnswer(200, 'AttestationKeys', "The keys that verify the gateway's attestations")
  @Get('keys')
  keys() {
    return { keys: [{ keyId: this.key.keyId, algorithm: 'ed25519', publicKeyPem: this.key.publicKeyPem }] };
  }
}
