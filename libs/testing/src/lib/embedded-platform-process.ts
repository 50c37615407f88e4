import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';
import { residentMemoryOf } from './process-memory';

const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..', '..');

/** How often the parts of its resident memory are sampled (the kernel keeps only the total's peak). */
const MEMORY_SAMPLE_MS = 200;

const SERVICES = {
  training: 'PROV_TRAINING_PORT',
  registry: 'PROV_REGISTRY_PORT',
  inference: 'PROV_INFERENCE_PORT',
  projector: 'PROV_PROJECTOR_PORT',
  gateway: 'PROV_GATEWAY_PORT',
} as const;

/**
 * `prov up` (what `npm start` runs, without its explorer bundle step) as its
 * own process on a data directory: the whole embedded platform, whose pid is
 * the platform's, so that its peak memory is the embedded mode's.
 */
export class EmbeddedPlatformProcess {
  private readonly output: string[] = [];
  private readonly child: ChildProcess;
  private readonly startedAt = performance.now();
  /** When its `ready:` record was printed (ms since it was spawned). */
  readyAfterMs?: number;
  /** The most anonymous and file-backed resident memory seen so far (sampled), in bytes. */
  readonly peaks = { anonymous: 0, file: 0 };
  private readonly sampler: NodeJS.Timeout;

  private constructor(
    readonly label: string,
    readonly dataDirectory: string,
    private readonly ports: Record<keyof typeof SERVICES, number>,
    env: Record<string, string>,
    nodeOptions: string[],
  ) {
    this.child = spawn(process.execPath, [...nodeOptions, '-r', '@swc-node/register', 'apps/prov/src/main.ts', 'up'], {
      cwd: WORKSPACE_ROOT,
      env: {
        ...process.env,
        ...env,
        SWC_NODE_PROJECT: 'apps/prov/tsconfig.json',
        PROV_DATA_DIR: dataDirectory,
        PROV_LOG_FORMAT: 'json',
        ...Object.fromEntries(
          Object.entries(SERVICES).map(([name, variable]) => [variable, String(ports[name as keyof typeof SERVICES])]),
        ),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.sampler = setInterval(() => this.sampleMemory(), MEMORY_SAMPLE_MS);
    this.child.once('exit', () => clearInterval(this.sampler));
    let partial = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (partial + String(chunk)).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.keep(line);
    });
    this.child.stderr?.on('data', (chunk: Buffer) => this.keep(String(chunk)));
  }

  static async start(
    label: string,
    dataDirectory: string,
    env: Record<string, string> = {},
    nodeOptions: string[] = [],
  ): Promise<EmbeddedPlatformProcess> {
    const ports = {} as Record<keyof typeof SERVICES, number>;
    for (const name of Object.keys(SERVICES) as Array<keyof typeof SERVICES>) ports[name] = await freePort();
    return new EmbeddedPlatformProcess(label, dataDirectory, ports, env, nodeOptions);
  }

  url(service: keyof typeof SERVICES): string {
    return `http://127.0.0.1:${this.ports[service]}`;
  }

  /** Milliseconds since it was spawned. */
  get age(): number {
    return performance.now() - this.startedAt;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** The local API key it made (every role), as the prov command reads it. */
  get token(): string {
    return (JSON.parse(readFileSync(join(this.dataDirectory, 'local-api-key.json'), 'utf8')) as { token: string })
      .token;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  assertRunning(): void {
    if (!this.running) {
      throw new Error(
        `${this.label} exited (code ${this.child.exitCode}, signal ${this.child.signalCode}):\n${this.tail()}`,
      );
    }
  }

  tail(lines = 40): string {
    return this.output.slice(-lines).join('\n');
  }

  /** Peak resident set so far (VmHWM). */
  peakRss(): number {
    return residentMemoryOf(this.pid, 'peak') ?? Number.NaN;
  }

  /** Sends `signal` and waits until the process is gone. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill(signal);
    await exited;
  }

  /** Stops it with SIGTERM (after reading its peak memory); resolves with its peak and how long it took to exit. */
  async stop(): Promise<{ process: string; pid: number; peakRssBytes: number; stopSeconds: number }> {
    this.sampleMemory();
    const peak = { process: this.label, pid: this.pid, peakRssBytes: this.peakRss() };
    const started = performance.now();
    if (this.running) {
      const exited = new Promise((done) => this.child.once('exit', done));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    }
    return { ...peak, stopSeconds: (performance.now() - started) / 1000 };
  }

  private sampleMemory(): void {
    for (const part of ['anonymous', 'file'] as const) {
      this.peaks[part] = Math.max(this.peaks[part], residentMemoryOf(this.pid, part) ?? 0);
    }
  }

  private keep(line: string): void {
    if (this.readyAfterMs === undefined && line.includes('"ready: ')) this.readyAfterMs = this.age;
    this.output.push(line);
    if (this.output.length > 400) this.output.shift();
  }
}
