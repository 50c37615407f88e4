import { Module } from '@nestjs/common';
import { DeploymentsHttpController } from './deployments.http.controller';

@Module({ controllers: [DeploymentsHttpController] })
export class DeploymentsModule {}
