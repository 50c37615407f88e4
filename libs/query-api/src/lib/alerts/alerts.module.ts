import { Module } from '@nestjs/common';
import { AlertsHttpController } from './alerts.http.controller';

@Module({ controllers: [AlertsHttpController] })
export class AlertsModule {}
