import { Module } from '@nestjs/common';
import { OpenLineageHttpController } from './openlineage.http.controller';

@Module({ controllers: [OpenLineageHttpController] })
export class OpenLineageModule {}
