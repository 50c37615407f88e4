import { DynamicModule, Global, Module } from '@nestjs/common';
import type { LineageStore, SubjectKeyStore } from '@prov/lineage-store';
import { ActiveViews } from './active-views';
import { SealedValues } from './sealed-values';

@Global()
@Module({})
export class ViewsModule {
  static forStore(store: LineageStore, subjectKeys?: SubjectKeyStore): DynamicModule {
    return {
      module: ViewsModule,
      providers: [
        { provide: ActiveViews, useValue: new ActiveViews(store) },
        { provide: SealedValues, useValue: new SealedValues(subjectKeys) },
      ],
      exports: [ActiveViews, SealedValues],
    };
  }
}
