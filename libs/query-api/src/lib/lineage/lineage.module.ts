import { Module } from '@nestjs/common';
import { LineageHttpController } from './lineage.http.controller';

@Module({ controllers: [LineageHttpController] })
export class LineageModule {}
