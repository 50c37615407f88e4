import { Module } from '@nestjs/common';
import { DatasetsHttpController } from './datasets.http.controller';

@Module({ controllers: [DatasetsHttpController] })
export class DatasetsModule {}
