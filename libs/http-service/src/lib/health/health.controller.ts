import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PublicRoute } from '../auth/auth.decorators';
import { READINESS_CHECKS, ReadinessCheck } from './readiness';

@ApiExcludeController()
@PublicRoute()
@Controller()
export class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  @HttpCode(200)
  health() {
    return { status: 'ok' };
  }

  /** Readiness: every dependency answers; 503 with the failing ones otherwise. */
  @Get('readyz')
  async ready(@Res() reply: FastifyReply) {
    const results = await Promise.all(
      this.checks.map(async (c) => ({ name: c.name, ok: await c.check().catch(() => false) })),
    );
    const ready = results.every((r) => r.ok);
    await reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: results });
  }
}
