import { DynamicModule, Module } from '@nestjs/common';
import type { LineageStore } from '@prov/lineage-store';
import { AUDIT_STORE, AuditHttpController } from './audit.http.controller';

@Module({})
export class AuditModule {
  static forStore(store: LineageStore): DynamicModule {
    return {
      module: AuditModule,
      controllers: [AuditHttpController],
      providers: [{ provide: AUDIT_STORE, useValue: store }],
    };
  }
}
