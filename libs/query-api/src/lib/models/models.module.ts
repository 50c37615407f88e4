import { DynamicModule, Module } from '@nestjs/common';
import type { SigningKeyPair } from '@prov/integrity';
import { AttestationsHttpController } from './attestations.http.controller';
import { ATTESTATION_KEY, ModelsHttpController, POLICY_CATALOG } from './models.http.controller';
import type { PolicyCatalog } from '@prov/policy-directory';

@Module({})
export class ModelsModule {
  static with(policies: PolicyCatalog, attestationKey: SigningKeyPair): DynamicModule {
    return {
      module: ModelsModule,
      controllers: [ModelsHttpController, AttestationsHttpController],
      providers: [
        { provide: POLICY_CATALOG, useValue: policies },
        { provide: ATTESTATION_KEY, useValue: attestationKey },
      ],
    };
  }
}
