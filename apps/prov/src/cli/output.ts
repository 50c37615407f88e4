import { SingleBar } from 'cli-progress';
import pc from 'picocolors';

/** Where a command writes: answers to stdout (JSON with --json), progress and notes to stderr. */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  /** The command's answer: the value as JSON, or its human-readable rendering. */
  answer(value: unknown, render: () => string): void {
    this.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${render()}\n`);
  }

  note(message: string): void {
    if (!this.json) this.stderr.write(`${pc.dim(message)}\n`);
  }

  /**
   * A progress bar on stderr when it is a terminal (and not --json); otherwise
   * a line now and then, so logs of CI runs still show that work goes on.
   */
  progress(label: string, total: number, unit: string): Progress {
    if (this.json) return new SilentProgress();
    if (this.stderr.isTTY) return new BarProgress(label, total, unit, this.stderr);
    return new LineProgress(label, total, unit, this.stderr);
  }
}

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

class SilentProgress implements Progress {
  update(): void {
    // --json output stays machine-readable: no progress at all.
  }
  stop(): void {
    // nothing was drawn
  }
}

class BarProgress implements Progress {
  private readonly bar: SingleBar;
  private stopped = false;
  constructor(label: string, total: number, unit: string, stream: NodeJS.WriteStream) {
    this.bar = new SingleBar({
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted}`,
      stream,
      hideCursor: true,
      clearOnComplete: false,
    });
    this.bar.start(Math.max(total, 1), 0);
  }
  update(done: number, total?: number): void {
    if (total !== undefined) this.bar.setTotal(Math.max(total, 1));
    this.bar.update(done);
  }
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.bar.stop();
  }
}

class LineProgress implements Progress {
  private lastAt = 0;
  private stopped = false;
  private done = 0;
  constructor(
    private readonly label: string,
    private total: number,
    private readonly unit: string,
    private readonly stream: NodeJS.WriteStream,
  ) {}
  update(done: number, total?: number): void {
    this.done = done;
    if (total !== undefined) this.total = total;
    if (Date.now() - this.lastAt < 2000) return;
    this.lastAt = Date.now();
    this.print();
  }
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.print();
  }
  private print(): void {
    this.stream.write(`${this.label}: ${this.done}/${this.total} ${this.unit}\n`);
  }
}
