import { Body, Controller, Get, HttpCode, Inject, Logger, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '@prov/http-service';
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
  @Post('rebuild')
  @HttpCode(202)
  async rebuild() {
    const { generation, done } = await this.projector.beginRebuild();
    done.catch((error: Error) => this.logger.error(`rebuild into ${generation} failed: ${error.message}`));
    return { generation, status: 'building' };
  }

  /** Folds what was recorded up to `asOf` into `audit-<name>`, never activated. */
  @Post('audit')
  @HttpCode(202)
  async audit(@Body() request: AuditRebuildRequest) {
    const { generation, done } = await this.projector.beginAuditRebuild(request.asOf, request.name);
    done.catch((error: Error) => this.logger.error(`audit rebuild ${generation} failed: ${error.message}`));
    return { generation, asOf: request.asOf, status: 'building' };
  }
}
