import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PublicRoute } from '../auth/auth.decorators';

export const METRICS_REGISTRY = Symbol('MetricsRegistry');

/** One Prometheus registry per service, with process metrics and HTTP request durations. */
export function createMetricsRegistry(
  service: string,
  registry: Registry = new Registry(),
): { registry: Registry; httpDuration: Histogram } {
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, httpDuration };
}

@ApiExcludeController()
@PublicRoute()
@Controller()
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
