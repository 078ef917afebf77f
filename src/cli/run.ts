import type { RouterConfig } from "../config/model.js";
import { Gateway } from "../gateway/gateway.js";
import { planFromModel } from "../gateway/plan-from-model.js";
import { BufferedSink } from "../log/buffered-sink.js";
import { notApplicable, type FwMessage } from "../log/catalogue.js";
import { FwLogger } from "../log/fw-logger.js";
import type { LogSink } from "../log/log-sink.js";
import { parseSeverity, type Severity } from "../log/severity.js";
import { StderrSink } from "../log/stderr-sink.js";
import { SyslogUdpSink } from "../log/syslog-udp-sink.js";
import type { InertLine } from "../config/inert.js";

/** A running gateway with the logger and log buffer built from its configuration. */
export interface RunningGateway {
  readonly gateway: Gateway;
  readonly logger: FwLogger;
  /** `logging buffered`, read by `show logging`; undefined when not configured. */
  readonly buffer: BufferedSink | undefined;
  stop(): Promise<void>;
}

/** Builds and starts the gateway of a configuration model. */
export async function startFromModel(
  model: RouterConfig,
  inert: readonly InertLine[],
): Promise<RunningGateway> {
  const buffer = bufferedSink(model);
  const sinks: LogSink[] = [new StderrSink(), ...syslogSinks(model)];
  if (buffer !== undefined) sinks.push(buffer);
  const logger = new FwLogger({ sinks, timestamps: model.timestamps.log });
  const log = (message: FwMessage): void => {
    logger.log(message);
  };

  // SPEC section 3: inert lines are listed once, at start-up, as not applicable.
  for (const line of inert) log(notApplicable(line));

  const gateway = new Gateway({ plan: planFromModel(model), log });
  try {
    await gateway.start();
  } catch (error) {
    await gateway.stop();
    await logger.close();
    throw error;
  }
  return {
    gateway,
    logger,
    buffer,
    stop: async () => {
      await gateway.stop();
      await logger.close();
    },
  };
}

function bufferedSink(model: RouterConfig): BufferedSink | undefined {
  const buffered = model.logging.buffered;
  if (buffered === undefined || buffered === "disabled") return undefined;
  return new BufferedSink({ octets: buffered.size, level: severityOf(buffered.level) });
}

function syslogSinks(model: RouterConfig): LogSink[] {
  return model.logging.hosts
    .filter((host) => host.transport === "udp")
    .map(
      (host) =>
        new SyslogUdpSink({
          host: host.address,
          ...(host.port === undefined ? {} : { port: host.port }),
          level: severityOf(model.logging.trap),
        }),
    );
}

function severityOf(level: string): Severity {
  return parseSeverity(level) ?? 6;
}
