import { Module } from '@nestjs/common';
import { ImpactHttpController } from './impact.http.controller';

@Module({ controllers: [ImpactHttpController] })
export class ImpactModule {}
