import { Module } from '@nestjs/common';
import { PredictionsHttpController } from './predictions.http.controller';

@Module({ controllers: [PredictionsHttpController] })
export class PredictionsModule {}
