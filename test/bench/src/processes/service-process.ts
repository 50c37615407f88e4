import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort, residentMemoryOf } from '@prov/testing';

export const ROOT = resolve(__dirname, '..', '..', '..', '..');

export type AppName = 'projector' | 'query-gateway' | 'inference-service';

const PORT_VARIABLE: Record<AppName, string> = {
  projector: 'PROV_PROJECTOR_PORT',
  'query-gateway': 'PROV_GATEWAY_PORT',
  'inference-service': 'PROV_INFERENCE_PORT',
};

/** What a process used at most, read from the kernel before it exits. */
export interface PeakMemory {
  process: string;
  pid: number;
  peakRssBytes: number;
}

/** Peak resident set (VmHWM) of a running process, or undefined once it is gone. */
export function peakRssOf(pid: number): number | undefined {
  return residentMemoryOf(pid, 'peak');
}

/**
 * `PROV_BENCH_CPU_PROF=<dir>` profiles every service process (`--cpu-prof`),
 * one `.cpuprofile` per process in that directory, written when it stops.
 */
export function profilingOptions(label: string): string[] {
  const directory = process.env['PROV_BENCH_CPU_PROF'];
  if (!directory) return [];
  return [
    '--cpu-prof',
    `--cpu-prof-dir=${resolve(directory)}`,
    `--cpu-prof-name=${label.replace(/[^\w.-]+/g, '_')}.cpuprofile`,
  ];
}

/**
 * One of the platform's apps as its own process, started as
 * libs/testing ServiceProcesses does (its own main.ts through
 * @swc-node/register), on a free port; `label` tells apart two processes of
 * one app in the report.
 */
export class ServiceProcess {
  private readonly output: string[] = [];
  private peak?: PeakMemory;

  private constructor(
    readonly label: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(String(chunk));
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start(
    app: AppName,
    options: { label?: string; env: Record<string, string>; args?: string[]; nodeOptions?: string[] },
  ): Promise<ServiceProcess> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        ...(options.nodeOptions ?? []),
        ...profilingOptions(options.label ?? app),
        '-r',
        '@swc-node/register',
        `apps/${app}/src/main.ts`,
        ...(options.args ?? []),
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          PROV_LOG_LEVEL: 'warn',
          ...options.env,
          SWC_NODE_PROJECT: `apps/${app}/tsconfig.json`,
          [PORT_VARIABLE[app]]: String(port),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const service = new ServiceProcess(options.label ?? app, `http://127.0.0.1:${port}`, child);
    await service.waitAnswering();
    return service;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines it printed, for failure messages. */
  tail(lines = 40): string {
    return this.output.join('').split('\n').slice(-lines).join('\n');
  }

  /** Throws, with its output, if the process has exited. */
  assertRunning(): void {
    if (!this.running) {
      throw new Error(
        `${this.label} exited (code ${this.child.exitCode}, signal ${this.child.signalCode}):\n${this.tail()}`,
      );
    }
  }

  /** Stops it with SIGTERM (after reading its peak memory) and waits for the exit. */
  async stop(): Promise<PeakMemory> {
    if (this.peak) return this.peak;
    this.peak = { process: this.label, pid: this.pid, peakRssBytes: peakRssOf(this.pid) ?? Number.NaN };
    if (this.running) {
      const exited = new Promise((done) => this.child.once('exit', done));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    return this.peak;
  }

  /** The process serves HTTP (liveness, not readiness: a projector is not ready until its first build ends). */
  private async waitAnswering(): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      this.assertRunning();
      const ok = await fetch(`${this.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.label} did not answer within 120 s:\n${this.tail()}`);
  }
}
