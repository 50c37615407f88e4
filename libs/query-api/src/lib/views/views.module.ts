import { DynamicModule, Global, Module } from '@nestjs/common';
import type { LineageStore } from '@prov/lineage-store';
import { ActiveViews } from './active-views';

@Global()
@Module({})
export class ViewsModule {
  static forStore(store: LineageStore): DynamicModule {
    return {
      module: ViewsModule,
      providers: [{ provide: ActiveViews, useValue: new ActiveViews(store) }],
      exports: [ActiveViews],
    };
  }
}
