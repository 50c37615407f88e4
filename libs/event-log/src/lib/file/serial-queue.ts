/** Runs async tasks one at a time, in call order; a failing task fails only its own caller. */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The caller gets the failure through `result`; the tail only keeps the order.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  settled(): Promise<void> {
    return this.tail;
  }
}
