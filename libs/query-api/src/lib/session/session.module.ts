import { Module } from '@nestjs/common';
import { SessionHttpController } from './session.http.controller';

@Module({ controllers: [SessionHttpController] })
export class SessionModule {}
