import { freePort } from '@prov/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { ROOT } from './setup-script';

/** Whether a process still runs, or is gone (or a zombie, which holds nothing). */
async function processState(pid: number): Promise<'running' | 'gone'> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return 'gone';
  return ['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2)[0]) ? 'gone' : 'running';
}

/** The settings of an embedded platform in `dataDir` on free ports, as `npm start` reads them. */
export async function embeddedPlatformEnv(dataDir: string): Promise<Record<string, string>> {
  return {
    PROV_DATA_DIR: dataDir,
    PROV_TRAINING_PORT: String(await freePort()),
    PROV_REGISTRY_PORT: String(await freePort()),
    PROV_INFERENCE_PORT: String(await freePort()),
    PROV_PROJECTOR_PORT: String(await freePort()),
    PROV_GATEWAY_PORT: String(await freePort()),
    PROV_PROJECTOR_POLL_MS: '200',
    // Nx forces colours on its tasks' children; the lines read here are matched as plain text.
    NO_COLOR: '1',
    // As in a terminal: the banner, the `ready:` line and readable logs (the output here is a pipe).
    PROV_LOG_FORMAT: 'pretty',
  };
}

/**
 * `npm start`, as a newcomer runs it, in its own process group so that a
 * signal reaches the platform and not only npm; `output` is what it printed.
 */
export class EmbeddedPlatform {
  output = '';
  private child: ChildProcess | undefined;

  constructor(private readonly env: Record<string, string>) {}

  /** Starts it and waits for its `ready:` line. */
  async start(): Promise<void> {
    this.output = '';
    const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, ...this.env }, detached: true });
    child.stdout?.on('data', (d) => (this.output += d));
    child.stderr?.on('data', (d) => (this.output += d));
    this.child = child;
    const deadline = Date.now() + 90_000;
    // Nx forces colours on in the tasks it runs (FORCE_COLOR), so the line is matched without them.
    while (!/^ready: /m.test(stripVTControlCharacters(this.output))) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`npm start exited (${child.exitCode ?? child.signalCode}):\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`npm start was not ready within 90 s:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Sends `signal` to the whole group and waits until the platform under npm is gone too; npm's exit code. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return null;
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const owner = await readFile(join(this.env['PROV_DATA_DIR'], 'log', 'LOCK'), 'utf8').then(Number, () => undefined);
    try {
      process.kill(-child.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    const code = await exited;
    // npm has exited; the platform under it may take a moment longer to be gone (a SIGKILL mid-fsync).
    const deadline = Date.now() + 10_000;
    while (owner && Date.now() < deadline && (await processState(owner)) === 'running')
      await new Promise((r) => setTimeout(r, 50));
    return code;
  }

  /** The service's base URL. */
  url(
    port:
      'PROV_TRAINING_PORT' | 'PROV_REGISTRY_PORT' | 'PROV_INFERENCE_PORT' | 'PROV_PROJECTOR_PORT' | 'PROV_GATEWAY_PORT',
  ) {
    return `http://127.0.0.1:${this.env[port]}`;
  }
}
