/**
 * What the exec console works on: the configuration in force and, when a gateway runs, the
 * gateway itself (sessions, counters, the trace, the log, `configure terminal` and
 * `write memory`). Offline (`smtpguard exec --config`) there is only the configuration.
 */

import assert from "node:assert/strict";
import { rename, stat, writeFile } from "node:fs/promises";

import type { RunningGateway } from "../cli/run.js";
import { cloneRouterConfig, type LogLevel, type RouterConfig } from "../config/model.js";
import { renderRunningConfig } from "../config/render.js";
import type { ClusterView } from "../firewall/redis-threshold-store.js";
import type { SessionEntry } from "../firewall/session-table.js";
import { planFromModel } from "../gateway/plan-from-model.js";
import { lineText } from "../log/log-sink.js";
import { CreationRateSampler, RATE_PERIOD_MS } from "./creation-rate.js";
import type { InspectStatistics } from "./show-sessions.js";
import type { LoggingFacts } from "./show-system.js";
import type { TraceHub } from "./trace-hub.js";

export interface ExecRuntime {
  /** The configuration in force; replaced, never changed in place. */
  readonly model: RouterConfig;
  /** The running gateway; undefined offline. */
  readonly live: LiveGateway | undefined;
}

export interface LiveGateway {
  readonly startedAt: number;
  /** Counts the configurations put in force, so a console can tell its copy is stale. */
  readonly generation: number;
  /** The file `write memory` saves to; undefined when the gateway started from quick flags. */
  readonly configPath: string | undefined;
  readonly trace: TraceHub;
  now(): number;
  sessions(): readonly SessionEntry[];
  statistics(): InspectStatistics;
  /** Every instance's figures when thresholds are shared; undefined alone or Redis away. */
  cluster?(): Promise<ClusterView | undefined>;
  /** Thresholds are shared with other instances (`ip inspect state-store`); absent, not. */
  readonly shared?: boolean;
  logging(): LoggingFacts;
  /** `clear ip inspect session ID`: false when there is no such session. */
  clearSession(id: string): boolean;
  /** Puts a configuration in force; on failure the previous one stays and the error is thrown. */
  commit(model: RouterConfig): Promise<void>;
  /** `write memory`: the running configuration to `configPath`, which must be set. */
  save(): Promise<void>;
  /** `terminal monitor`: every log line from now on; returns the function that stops it. */
  onLogLine(listener: (text: string) => void): () => void;
}

export function offlineRuntime(model: RouterConfig): ExecRuntime {
  return { model, live: undefined };
}

export interface GatewayRuntimeOptions {
  readonly running: RunningGateway;
  /** The configuration the gateway was started with. */
  readonly model: RouterConfig;
  readonly configPath?: string | undefined;
  readonly now?: () => number;
}

/** The exec console's view of a running gateway. Owns the creation-rate timer: call close(). */
export class GatewayRuntime implements ExecRuntime, LiveGateway {
  readonly #running: RunningGateway;
  readonly #now: () => number;
  readonly #sampler: CreationRateSampler;
  readonly #timer: NodeJS.Timeout;
  /** `logging buffered` when the sinks were built: what `show logging` really reads. */
  readonly #bufferLevel: LogLevel | undefined;
  readonly configPath: string | undefined;
  #model: RouterConfig;
  #generation = 0;
  /** Configurations are put in force one at a time, in the order they were committed. */
  #commits: Promise<void> = Promise.resolve();

  constructor(options: GatewayRuntimeOptions) {
    this.#running = options.running;
    this.#model = cloneRouterConfig(options.model);
    this.#now = options.now ?? Date.now;
    this.configPath = options.configPath;
    const buffered = options.model.logging.buffered;
    this.#bufferLevel = typeof buffered === "object" ? buffered.level : undefined;

    const table = this.#running.gateway.table;
    this.#sampler = new CreationRateSampler(table.counts.created);
    this.#timer = setInterval(() => {
      this.#sampler.sample(table.counts.created, table.counts.current.SIS_OPENING);
    }, RATE_PERIOD_MS);
    this.#timer.unref();
  }

  get model(): RouterConfig {
    return this.#model;
  }

  get live(): LiveGateway {
    return this;
  }

  get startedAt(): number {
    return this.#running.startedAt;
  }

  get generation(): number {
    return this.#generation;
  }

  get trace(): TraceHub {
    return this.#running.trace;
  }

  now(): number {
    return this.#now();
  }

  sessions(): readonly SessionEntry[] {
    return this.#running.gateway.table.list();
  }

  statistics(): InspectStatistics {
    const interfaces = this.#model.interfaces.filter(
      (target) => target.inspectIn !== undefined || target.inspectOut !== undefined,
    ).length;
    return {
      interfaces,
      counts: this.#running.gateway.table.counts,
      rates: this.#sampler.rates,
      now: this.#now(),
    };
  }

  get shared(): boolean {
    return this.#running.gateway.shared;
  }

  cluster(): Promise<ClusterView | undefined> {
    return this.#running.gateway.clusterView();
  }

  logging(): LoggingFacts {
    const sink = this.#running.buffer;
    const level = this.#bufferLevel;
    const buffer =
      sink === undefined || level === undefined
        ? undefined
        : { level, capacityOctets: sink.capacityOctets, logged: sink.logged, lines: sink.lines() };
    return { logging: this.#model.logging, buffer };
  }

  clearSession(id: string): boolean {
    return this.#running.gateway.clearSession(id);
  }

  commit(model: RouterConfig): Promise<void> {
    const next = this.#commits.then(() => this.#putInForce(model));
    this.#commits = next.catch(() => undefined);
    return next;
  }

  async save(): Promise<void> {
    const path = this.configPath;
    assert.ok(path !== undefined, "write memory without a configuration file");

    // Written beside the file and renamed over it, so a crash never leaves half a config.
    const mode = await stat(path).then(
      (found) => found.mode & 0o777,
      () => 0o600,
    );
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, renderRunningConfig(this.#model), { mode });
    await rename(temporary, path);
  }

  onLogLine(listener: (text: string) => void): () => void {
    return this.#running.logger.onLine((line) => {
      listener(lineText(line));
    });
  }

  close(): void {
    clearInterval(this.#timer);
  }

  /** A configuration read anew (SIGHUP): in force for new sessions, and in running-config. */
  async replaceModel(model: RouterConfig): Promise<void> {
    await this.#putInForce(model);
  }

  async #putInForce(model: RouterConfig): Promise<void> {
    const gateway = this.#running.gateway;
    try {
      await gateway.applyPlan(planFromModel(model));
    } catch (error) {
      // A listener that could not open leaves the others half changed: go back to what was.
      await gateway.applyPlan(planFromModel(this.#model)).catch(() => undefined);
      throw error;
    }
    this.#model = cloneRouterConfig(model);
    this.#generation += 1;
    this.#running.logger.timestamps = model.timestamps.log;
    this.#running.trace.timestamps = model.timestamps.debug;
  }
}
