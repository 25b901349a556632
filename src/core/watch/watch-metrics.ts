import { createServer, type Server } from "node:http";

import { Counter, Gauge, Registry } from "prom-client";

import type { Alert } from "./alert.js";

/**
 * The watcher's Prometheus metrics (prom-client), for Grafana dashboards and AlertManager rules
 * (docs/monitoring/). One registry per watcher; `serve` exposes it at /metrics.
 */
export class WatchMetrics {
  readonly registry = new Registry();
  readonly headBlock: Gauge;
  readonly headAge: Gauge;
  readonly confirmedBlock: Gauge;
  readonly endpointUp: Gauge<"endpoint">;
  readonly endpointLag: Gauge<"endpoint">;
  readonly alerts: Counter<"severity" | "kind">;
  readonly activeConditions: Gauge<"severity">;
  readonly pendingOperations: Gauge;
  readonly operationEta: Gauge<"operation" | "proposal">;
  readonly implementationMatch: Gauge<"proxy">;
  readonly failureRatio: Gauge;
  readonly requests: Counter;

  constructor(labels: { network: string; chainId: number }) {
    this.registry.setDefaultLabels({ network: labels.network, chain_id: String(labels.chainId) });
    const registers = [this.registry];
    this.headBlock = new Gauge({ name: "release_watch_head_block", help: "Newest block seen", registers });
    this.headAge = new Gauge({
      name: "release_watch_head_age_seconds",
      help: "Seconds since the newest block's timestamp",
      registers,
    });
    this.confirmedBlock = new Gauge({
      name: "release_watch_confirmed_block",
      help: "Last block whose events were reported",
      registers,
    });
    this.endpointUp = new Gauge({
      name: "release_watch_endpoint_up",
      help: "1 when the endpoint answered the last check on the right chain",
      labelNames: ["endpoint"],
      registers,
    });
    this.endpointLag = new Gauge({
      name: "release_watch_endpoint_lag_blocks",
      help: "Blocks behind the best endpoint",
      labelNames: ["endpoint"],
      registers,
    });
    this.alerts = new Counter({
      name: "release_watch_alerts_total",
      help: "Alerts raised",
      labelNames: ["severity", "kind"],
      registers,
    });
    this.activeConditions = new Gauge({
      name: "release_watch_active_conditions",
      help: "Conditions raised and not resolved",
      labelNames: ["severity"],
      registers,
    });
    this.pendingOperations = new Gauge({
      name: "release_watch_pending_operations",
      help: "Timelock operations scheduled and not executed or cancelled",
      registers,
    });
    this.operationEta = new Gauge({
      name: "release_watch_pending_operation_eta_seconds",
      help: 'Unix time from which a pending timelock operation can execute (proposal "none" when unexplained)',
      labelNames: ["operation", "proposal"],
      registers,
    });
    this.implementationMatch = new Gauge({
      name: "release_watch_implementation_match",
      help: "1 when the proxy runs the implementation and code its records say",
      labelNames: ["proxy"],
      registers,
    });
    this.failureRatio = new Gauge({
      name: "release_watch_tx_failure_ratio",
      help: "Share of failed transactions among the latest to the governed contracts",
      registers,
    });
    this.requests = new Counter({
      name: "release_watch_rpc_requests_total",
      help: "JSON-RPC requests the watcher made",
      registers,
    });
  }

  countAlert(alert: Alert): void {
    if (alert.status === "raised") this.alerts.inc({ severity: alert.severity, kind: alert.kind });
  }

  /** Serves /metrics on host:port until `close`. */
  async serve(host: string, port: number): Promise<{ port: number; close: () => Promise<void> }> {
    const server: Server = createServer((req, res) => {
      if (req.url !== "/metrics") {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": this.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    });
    return {
      port: (server.address() as { port: number }).port,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }
}
