/**
 * The `/metrics` endpoint: plain HTTP on the loopback address `ip inspect metrics` names. It
 * reads no request body and answers only GET /metrics.
 */

import { createServer, type Server } from "node:http";

import type { Registry } from "prom-client";

import type { Endpoint } from "../log/catalogue.js";

/** Ours: a scraper that has not sent its request line and headers by then is dropped. */
const HEADERS_TIMEOUT_MS = 5_000;
/** Ours: Prometheus keeps one connection; a few more allow a curl beside it. */
const MAX_CONNECTIONS = 16;

export class MetricsServer {
  readonly #server: Server;
  readonly #registry: Registry;

  constructor(registry: Registry) {
    this.#registry = registry;
    this.#server = createServer((request, response) => {
      if (request.method !== "GET" || request.url !== "/metrics") {
        response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
        return;
      }
      void this.#registry.metrics().then((text) => {
        response.writeHead(200, { "content-type": this.#registry.contentType }).end(text);
      });
    });
    this.#server.headersTimeout = HEADERS_TIMEOUT_MS;
    this.#server.requestTimeout = HEADERS_TIMEOUT_MS;
    this.#server.maxConnections = MAX_CONNECTIONS;
  }

  /** The address actually bound (port 0 becomes a real one). */
  get address(): Endpoint {
    const bound = this.#server.address();
    if (bound === null || typeof bound === "string") return { address: "", port: 0 };
    return { address: bound.address, port: bound.port };
  }

  listen(at: Endpoint): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen({ host: at.address, port: at.port }, () => {
        this.#server.off("error", reject);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }
}
