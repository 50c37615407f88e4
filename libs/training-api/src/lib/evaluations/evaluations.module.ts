import { Module } from '@nestjs/common';
import { EvaluationsHttpController } from './evaluations.http.controller';

@Module({ controllers: [EvaluationsHttpController] })
export class EvaluationsModule {}
