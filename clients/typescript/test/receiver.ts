import { createServer, type IncomingHttpHeaders, type Server } from "node:http";

/** One request as a webhook receiver sees it: the raw body, before any parsing. */
export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A tiny local HTTP server standing in for an integrator's webhook endpoint. */
export class Receiver {
  readonly deliveries: Delivery[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        this.deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
        response.writeHead(204).end();
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("not listening on TCP");
    return `http://127.0.0.1:${address.port}/hooks`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The first delivery `accept` takes, waiting up to `withinMs`. */
  async waitFor(accept: (delivery: Delivery) => boolean, withinMs = 20_000): Promise<Delivery> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const found = this.deliveries.find(accept);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no matching webhook within ${withinMs} ms (${this.deliveries.length} received)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
