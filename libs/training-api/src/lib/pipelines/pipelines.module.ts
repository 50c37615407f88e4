import { Module } from '@nestjs/common';
import { PipelinesHttpController } from './pipelines.http.controller';

@Module({ controllers: [PipelinesHttpController] })
export class PipelinesModule {}
