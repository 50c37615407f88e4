import { DynamicModule, Module } from '@nestjs/common';
import type { DeadLetterStore } from '@prov/lineage-store';
import { DEAD_LETTER_STORE, DeadLettersHttpController } from './dead-letters.http.controller';

@Module({})
export class DeadLettersModule {
  static forStore(store: DeadLetterStore): DynamicModule {
    return {
      module: DeadLettersModule,
      controllers: [DeadLettersHttpController],
      providers: [{ provide: DEAD_LETTER_STORE, useValue: store }],
    };
  }
}
