/** The `logging host` sinks of a configuration: UDP or TCP each, in the `logging format`. */

import type { RouterConfig } from "../config/model.js";
import type { LogSink } from "./log-sink.js";
import type { Severity } from "./severity.js";
import { SyslogTcpSink } from "./syslog-tcp-sink.js";
import { SyslogUdpSink } from "./syslog-udp-sink.js";

export function syslogSinksFor(model: RouterConfig, level: Severity): LogSink[] {
  const format = model.operations.syslogFormat;
  // RFC 5424 has a HOSTNAME field; IOS's RFC 3164 form leaves the name out by default.
  const hostname = format === "rfc5424" ? { hostname: model.hostname } : {};
  return model.logging.hosts.map((host) => {
    const port = host.port === undefined ? {} : { port: host.port };
    const options = { host: host.address, ...port, level, format, ...hostname };
    return host.transport === "tcp" ? new SyslogTcpSink(options) : new SyslogUdpSink(options);
  });
}
