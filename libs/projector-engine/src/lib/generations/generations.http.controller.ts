import { Body, Controller, Get, HttpCode, Inject, Logger, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiRefusal, RequireRoles } from '@prov/http-service';
import type { LineageStore } from '@prov/lineage-store';
import { AuditRebuildRequest } from './audit-rebuild.request';
import { Projector } from './projector';

export const LINEAGE_STORE = Symbol('LineageStore');

/** View generations: which one queries read, and rebuilds (whole, or as of a past time). */
@ApiTags('generations')
@RequireRoles('auditor')
@Controller('v1/generations')
export class GenerationsController {
  private readonly logger = new Logger('generations');

  constructor(
    private readonly projector: Projector,
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
  ) {}

  @ApiAnswer(200, 'GenerationsAnswer', 'The view generations, and how far those catching up have come')
  @Get()
  async list() {
    return {
      active: (await this.store.activeGeneration()) ?? null,
      live: this.projector.liveGeneration ?? null,
      generations: (await this.store.generations()).map((generation) => {
        const progress = this.projector.progressOf(generation.name);
        return progress ? { ...generation, progress } : generation;
      }),
    };
  }

  /** Replays every topic into a new generation, activated once it has caught up. */
  @ApiAnswer(202, 'RebuildStarted', 'A rebuild into a new generation started, or the one running (joined)')
  @Post('rebuild')
  @HttpCode(202)
  async rebuild() {
    const { generation, done } = await this.projector.beginRebuild();
    done.catch((error: Error) => this.logger.error(`rebuild into ${generation} failed: ${error.message}`));
    return { generation, status: 'building' };
  }

  /** Folds what was recorded up to `asOf` into `audit-<name>`, never activated. */
  @ApiAnswer(202, 'AuditRebuildStarted', 'An audit rebuild as of asOf started')
  @ApiRefusal(409, 'An audit rebuild is running already (named)')
  @Post('audit')
  @HttpCode(202)
  async audit(@Body() request: AuditRebuildRequest) {
    const { generation, done } = await this.projector.beginAuditRebuild(request.asOf, request.name);
    done.catch((error: Error) => this.logger.error(`audit rebuild ${generation} failed: ${error.message}`));
    return { generation, asOf: request.asOf, status: 'building' };
  }
}
