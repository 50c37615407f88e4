import { DynamicModule, Module } from '@nestjs/common';
import type { ProvenancePolicy } from '@prov/governance';
import type { KeyEncryptionKeys, SubjectKeyStore } from '@prov/lineage-store';
import { KeyEncryptionKeysHttpController } from '../key-encryption-keys/key-encryption-keys.http.controller';
import { SubjectsHttpController } from '../subjects/subjects.http.controller';
import { KNOWN_PREDICTIONS, type KnownPredictions } from './known-predictions.port';
import { MAX_OUTPUT_BYTES } from './output-size';
import { PredictionsHttpController, SERVING_POLICIES } from './predictions.http.controller';
import { RecentPredictions } from './recent-predictions';
import { RecordPredictionsService } from './record-predictions.service';
import { SUBJECT_SEALING, SubjectSealing } from './subject-sealing';

export interface PredictionsModuleOptions {
  policies: readonly ProvenancePolicy[];
  /** The data subjects' keys, and the key-encryption keys that wrap them. */
  subjectKeys?: { store: SubjectKeyStore; keks: KeyEncryptionKeys };
  /** How many recently published prediction ids the service remembers (0: none). */
  recentPredictions: number;
  knownPredictions?: KnownPredictions;
  /** Largest raw `output` of one prediction, in bytes of its JSON (PROV_MAX_OUTPUT_BYTES). */
  maxOutputBytes: number;
}

@Module({})
export class PredictionsModule {
  static with(options: PredictionsModuleOptions): DynamicModule {
    return {
      module: PredictionsModule,
      controllers: [PredictionsHttpController, SubjectsHttpController, KeyEncryptionKeysHttpController],
      providers: [
        RecordPredictionsService,
        { provide: SERVING_POLICIES, useValue: options.policies },
        { provide: MAX_OUTPUT_BYTES, useValue: options.maxOutputBytes },
        {
          provide: SUBJECT_SEALING,
          useValue: options.subjectKeys
            ? new SubjectSealing(options.subjectKeys.store, options.subjectKeys.keks)
            : null,
        },
        { provide: RecentPredictions, useValue: new RecentPredictions(options.recentPredictions) },
        { provide: KNOWN_PREDICTIONS, useValue: options.knownPredictions ?? null },
      ],
    };
  }
}
