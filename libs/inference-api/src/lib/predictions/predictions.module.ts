import { DynamicModule, Module } from '@nestjs/common';
import type { ProvenancePolicy } from '@prov/governance';
import type { SubjectKeyStore } from '@prov/lineage-store';
import { SubjectsHttpController } from '../subjects/subjects.http.controller';
import { PredictionsHttpController, SERVING_POLICIES, SUBJECT_SEALING } from './predictions.http.controller';
import { SubjectSealing } from './subject-sealing';

@Module({})
export class PredictionsModule {
  static with(policies: readonly ProvenancePolicy[], subjectKeys?: SubjectKeyStore): DynamicModule {
    return {
      module: PredictionsModule,
      controllers: [PredictionsHttpController, SubjectsHttpController],
      providers: [
        { provide: SERVING_POLICIES, useValue: policies },
        { provide: SUBJECT_SEALING, useValue: subjectKeys ? new SubjectSealing(subjectKeys) : null },
      ],
    };
  }
}
