import { Module } from '@nestjs/common';
import { CompareHttpController } from './compare.http.controller';

@Module({ controllers: [CompareHttpController] })
export class CompareModule {}
