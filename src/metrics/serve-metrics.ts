/** `ip inspect metrics ADDRESS PORT`: the registry of a gateway served on loopback. */

import type { RouterConfig } from "../config/model.js";
import type { Gateway } from "../gateway/gateway.js";
import { GatewayMetrics } from "./gateway-metrics.js";
import { MetricsServer } from "./metrics-server.js";

/** The metrics of a configuration, or undefined when it asks for none. */
export function metricsFor(model: RouterConfig): GatewayMetrics | undefined {
  return model.operations.metrics === undefined ? undefined : new GatewayMetrics();
}

/** Starts the endpoint; the caller closes what it answers. */
export async function serveMetrics(
  model: RouterConfig,
  metrics: GatewayMetrics | undefined,
  gateway: Gateway,
): Promise<MetricsServer | undefined> {
  const endpoint = model.operations.metrics;
  if (metrics === undefined || endpoint === undefined) return undefined;
  metrics.watch(gateway);
  const server = new MetricsServer(metrics.registry);
  await server.listen(endpoint);
  return server;
}
