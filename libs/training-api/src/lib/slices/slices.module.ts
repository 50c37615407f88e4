import { Module } from '@nestjs/common';
import { SlicesHttpController } from './slices.http.controller';

@Module({ controllers: [SlicesHttpController] })
export class SlicesModule {}
