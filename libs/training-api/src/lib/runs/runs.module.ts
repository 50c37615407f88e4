import { Module } from '@nestjs/common';
import { RunsHttpController } from './runs.http.controller';

@Module({ controllers: [RunsHttpController] })
export class RunsModule {}
