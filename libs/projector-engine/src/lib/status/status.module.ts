import { DynamicModule, Module } from '@nestjs/common';
import type { EventLog } from '@prov/event-log';
import type { LineageStore } from '@prov/lineage-store';
import { LINEAGE_STORE } from '../generations/generations.http.controller';
import { EVENT_LOG, StatusController } from './status.http.controller';

@Module({})
export class StatusModule {
  static register(log: EventLog, store: LineageStore): DynamicModule {
    return {
      module: StatusModule,
      controllers: [StatusController],
      providers: [
        { provide: EVENT_LOG, useValue: log },
        { provide: LINEAGE_STORE, useValue: store },
      ],
    };
  }
}
