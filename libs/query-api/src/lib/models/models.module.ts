import { Module } from '@nestjs/common';
import { ModelsHttpController } from './models.http.controller';

@Module({ controllers: [ModelsHttpController] })
export class ModelsModule {}
