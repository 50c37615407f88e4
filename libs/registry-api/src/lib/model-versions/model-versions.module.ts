import { Module } from '@nestjs/common';
import { ModelVersionsHttpController } from './model-versions.http.controller';

@Module({ controllers: [ModelVersionsHttpController] })
export class ModelVersionsModule {}
