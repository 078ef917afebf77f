import type { RouterConfig } from "../config/model.js";
import { TraceHub } from "../exec/trace-hub.js";
import { RedisThresholdStore } from "../firewall/redis-threshold-store.js";
import { Gateway } from "../gateway/gateway.js";
import { planFromModel } from "../gateway/plan-from-model.js";
import { BufferedSink } from "../log/buffered-sink.js";
import { notApplicable, type FwMessage } from "../log/catalogue.js";
import { FwLogger } from "../log/fw-logger.js";
import type { LogSink } from "../log/log-sink.js";
import { parseSeverity, type Severity } from "../log/severity.js";
import { StderrSink, type TextOutput } from "../log/stderr-sink.js";
import { syslogSinksFor } from "../log/syslog-sinks.js";
import { metricsFor, serveMetrics } from "../metrics/serve-metrics.js";
import type { MetricsServer } from "../metrics/metrics-server.js";
import type { InertLine } from "../config/inert.js";

/** A running gateway with the logger and log buffer built from its configuration. */
export interface RunningGateway {
  readonly gateway: Gateway;
  readonly logger: FwLogger;
  /** `logging buffered`, read by `show logging`; undefined when not configured. */
  readonly buffer: BufferedSink | undefined;
  /** `debug ip inspect`: the consoles that asked for the parser trace. */
  readonly trace: TraceHub;
  /** Milliseconds since the epoch, for uptimes and `uptime` stamps. */
  readonly startedAt: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where the console log goes; standard error unless a test collects it. */
  readonly console?: TextOutput;
}

/** Builds and starts the gateway of a configuration model. */
export async function startFromModel(
  model: RouterConfig,
  inert: readonly InertLine[],
  options: StartOptions = {},
): Promise<RunningGateway> {
  const startedAt = Date.now();
  const buffer = bufferedSink(model);
  const console = options.console === undefined ? {} : { output: options.console };
  const sinks: LogSink[] = [new StderrSink(console), ...syslogSinks(model)];
  if (buffer !== undefined) sinks.push(buffer);
  const logger = new FwLogger({ sinks, timestamps: model.timestamps.log, startedAt });
  const metrics = metricsFor(model);
  const log = (message: FwMessage): void => {
    logger.log(message);
    metrics?.message(message);
  };

  // SPEC section 3: inert lines are listed once, at start-up, as not applicable.
  for (const line of inert) log(notApplicable(line));

  const trace = new TraceHub({ startedAt, timestamps: model.timestamps.debug });
  const gateway = new Gateway({
    plan: planFromModel(model),
    log,
    trace: (entry, event) => {
      trace.publish(entry, event);
    },
    ...(metrics === undefined ? {} : { observe: metrics.observe }),
    shared: sharedStore(model),
  });
  trace.bind((on) => {
    gateway.tracing = on;
  });
  let metricsServer: MetricsServer | undefined;
  try {
    await gateway.start();
    metricsServer = await serveMetrics(model, metrics, gateway);
  } catch (error) {
    await gateway.stop();
    await logger.close();
    throw error;
  }
  return {
    gateway,
    logger,
    buffer,
    trace,
    startedAt,
    stop: async () => {
      await metricsServer?.close();
      await gateway.stop();
      await logger.close();
    },
  };
}

/** `ip inspect state-store redis ...`: the thresholds shared with the other instances. */
function sharedStore(
  model: RouterConfig,
): { store: RedisThresholdStore; share: number } | undefined {
  const config = model.stateStore;
  if (config === undefined) return undefined;
  const store = new RedisThresholdStore({
    url: config.url,
    prefix: config.prefix,
    instance: config.instance ?? model.hostname,
    minuteMs: 60_000,
  });
  return { store, share: config.share };
}

function bufferedSink(model: RouterConfig): BufferedSink | undefined {
  const buffered = model.logging.buffered;
  if (buffered === undefined || buffered === "disabled") return undefined;
  return new BufferedSink({ octets: buffered.size, level: severityOf(buffered.level) });
}

function syslogSinks(model: RouterConfig): LogSink[] {
  return syslogSinksFor(model, severityOf(model.logging.trap));
}

function severityOf(level: string): Severity {
  return parseSeverity(level) ?? 6;
}
