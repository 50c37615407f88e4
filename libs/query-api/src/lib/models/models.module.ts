import { DynamicModule, Module } from '@nestjs/common';
import { ModelsHttpController, POLICY_CATALOG } from './models.http.controller';
import { PolicyCatalog } from './policy-catalog';

@Module({})
export class ModelsModule {
  static withPolicies(policies: PolicyCatalog): DynamicModule {
    return {
      module: ModelsModule,
      controllers: [ModelsHttpController],
      providers: [{ provide: POLICY_CATALOG, useValue: policies }],
    };
  }
}
