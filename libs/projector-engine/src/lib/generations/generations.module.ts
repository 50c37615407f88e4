import { DynamicModule, Module } from '@nestjs/common';
import type { LineageStore } from '@prov/lineage-store';
import { GenerationsController, LINEAGE_STORE } from './generations.http.controller';
import { Projector } from './projector';

@Module({})
export class GenerationsModule {
  static register(projector: Projector, store: LineageStore): DynamicModule {
    return {
      module: GenerationsModule,
      controllers: [GenerationsController],
      providers: [
        { provide: Projector, useValue: projector },
        { provide: LINEAGE_STORE, useValue: store },
      ],
    };
  }
}
