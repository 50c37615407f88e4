import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

const METADATA = 3;
const FIND_COORDINATOR = 10;

/**
 * A TCP proxy standing for one Kafka broker, for the integration tests: it
 * rewrites the broker's port in Metadata and FindCoordinator answers, so a
 * client bootstrapped through it keeps going through it, and it can then
 * stop answering (`silence`) or drop and refuse connections (`refuse`), as a
 * hung or a stopped broker would, without touching the real one.
 * It understands the request versions kafkajs 2.2 sends (Metadata up to v6,
 * FindCoordinator up to v2), and needs a broker that advertises the host it
 * was reached at.
 */
export class BrokerProxy {
  private mode: 'forward' | 'silent' | 'refuse' = 'forward';
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Listens on a free port of the broker's host. `broker` is `host:port`. */
  static async start(broker: string): Promise<BrokerProxy> {
    const separator = broker.lastIndexOf(':');
    const host = broker.slice(0, separator);
    const server = createServer();
    const proxy = new BrokerProxy(server, host, Number(broker.slice(separator + 1)));
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return proxy;
  }

  get address(): string {
    return `${this.host}:${(this.server.address() as AddressInfo).port}`;
  }

  forward(): void {
    this.mode = 'forward';
  }

  /** Connections stay open, but nothing passes either way: a broker that no longer answers. */
  silence(): void {
    this.mode = 'silent';
  }

  /** Drops every connection and closes new ones at once: a broker that is down. */
  refuse(): void {
    this.mode = 'refuse';
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.refuse();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = connect(this.port, this.host);
    const requests = new Map<number, { apiKey: number; apiVersion: number }>();
    client.on(
      'data',
      frames((frame) => {
        // Request header: size, api key, api version, correlation id.
        requests.set(frame.readInt32BE(8), { apiKey: frame.readInt16BE(4), apiVersion: frame.readInt16BE(6) });
        if (this.mode === 'forward') upstream.write(frame);
      }),
    );
    upstream.on(
      'data',
      frames((frame) => {
        // Response header: size, correlation id.
        const correlationId = frame.readInt32BE(4);
        const request = requests.get(correlationId);
        requests.delete(correlationId);
        if (request) this.redirect(frame, request.apiKey, request.apiVersion);
        if (this.mode === 'forward') client.write(frame);
      }),
    );
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  }

  /** Points the broker addresses of an answer at the proxy (same host, so only the port changes). */
  private redirect(frame: Buffer, apiKey: number, apiVersion: number): void {
    const own = (this.server.address() as AddressInfo).port;
    const pointHere = (at: number) => {
      if (frame.readInt32BE(at) === this.port) frame.writeInt32BE(own, at);
    };
    let at = 8;
    const skipString = () => (at += 2 + Math.max(0, frame.readInt16BE(at)));
    if (apiKey === METADATA) {
      if (apiVersion >= 3) at += 4; // throttle time
      const brokers = frame.readInt32BE(at);
      at += 4;
      for (let i = 0; i < brokers; i++) {
        at += 4; // node id
        skipString(); // host
        pointHere(at);
        at += 4;
        if (apiVersion >= 1) skipString(); // rack
      }
    } else if (apiKey === FIND_COORDINATOR && apiVersion >= 1) {
      at += 4 + 2; // throttle time, error code
      skipString(); // error message
      at += 4; // node id
      skipString(); // host
      pointHere(at);
    }
  }
}

/** Cuts a byte stream into size-prefixed Kafka frames. */
function frames(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const size = 4 + pending.readInt32BE(0);
      onFrame(pending.subarray(0, size));
      pending = pending.subarray(size);
    }
  };
}
