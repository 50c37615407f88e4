import { DynamicModule, Module } from '@nestjs/common';
import type { ProvenancePolicy } from '@prov/governance';
import { PredictionsHttpController, SERVING_POLICIES } from './predictions.http.controller';

@Module({})
export class PredictionsModule {
  static with(policies: readonly ProvenancePolicy[]): DynamicModule {
    return {
      module: PredictionsModule,
      controllers: [PredictionsHttpController],
      providers: [{ provide: SERVING_POLICIES, useValue: policies }],
    };
  }
}
