import { DynamicModule, Global, Module } from '@nestjs/common';
import type { EventLog } from '@prov/event-log';
import { ImmutableRecordIndex, KnownRecords, ProvenancePublisher } from '@prov/publishing';

/** Makes the publisher and the known-records lookup available to every feature module. */
@Global()
@Module({})
export class PublishingModule {
  static forRoot(
    publisher: ProvenancePublisher,
    log: EventLog,
    records: ImmutableRecordIndex,
    topics: string[],
  ): DynamicModule {
    return {
      module: PublishingModule,
      providers: [
        { provide: ProvenancePublisher, useValue: publisher },
        { provide: KnownRecords, useValue: new KnownRecords(log, records, topics) },
      ],
      exports: [ProvenancePublisher, KnownRecords],
    };
  }
}
