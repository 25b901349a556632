import path from "node:path";

import { ERRORS, ReleaseError } from "../../src/core/errors.js";
import { propose } from "../../src/core/proposals/propose.js";
import { DEFAULT_FAILOVER_SETTINGS } from "../../src/core/rpc/create-failover-transport.js";
import { redactUrl } from "../../src/core/rpc/redact-url.js";
import { fileSink, webhookSink, type AlertSink } from "../../src/core/watch/alert-sinks.js";
import { SEVERITIES, type Severity } from "../../src/core/watch/alert.js";
import { prepareResponse } from "../../src/core/watch/prepare-response.js";
import { WatchMetrics } from "../../src/core/watch/watch-metrics.js";
import { watchStack } from "../../src/core/watch/watch-stack.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { endpointUrls } from "../../src/plugin/rpc-connection.js";
import { watchView } from "../../src/ui/views/watch-view.js";

interface Args {
  once: boolean;
  failOn: string;
  webhook?: string;
  alertsFile?: string;
  metricsPort?: string;
  metricsHost: string;
  state?: string;
  respond: boolean;
  json: boolean;
}

const invalid = (option: string, value: string, reason: string) =>
  new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
    option,
    value: JSON.stringify(value),
    reason,
    task: "release watch",
  });

export default releaseAction("release watch", watchView, async (args: Args, { hre, output, runtime }) => {
  const failOn = args.failOn.trim().toLowerCase() as Severity;
  if (!SEVERITIES.includes(failOn)) throw invalid("--fail-on", args.failOn, "expected info, warning or critical");
  const port = args.metricsPort === undefined ? undefined : Number(args.metricsPort);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw invalid("--metrics-port", args.metricsPort!, "expected a TCP port number");
  }
  const webhooks = (args.webhook ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url !== "");
  for (const url of webhooks) {
    if (!/^https?:\/\/[^\s/]+/.test(url))
      throw invalid("--webhook", redactUrl(url), "expected http(s) URLs, comma-separated");
  }

  const rt = await runtime();
  const config = rt.networkConfig().watch;
  const ctx = rt.proposalContext(output.onEvent);
  const sinks: AlertSink[] = [
    ...(args.alertsFile === undefined ? [] : [await fileSink(path.resolve(args.alertsFile))]),
    ...webhooks.map((url) => webhookSink(url, redactUrl(url))),
  ];
  const chainId = Number(await rt.connection.provider.request({ method: "eth_chainId" }));
  const metrics = port === undefined ? undefined : new WatchMetrics({ network: rt.network, chainId });
  const server = metrics === undefined ? undefined : await metrics.serve(args.metricsHost, port!);
  if (server !== undefined) output.text(`Prometheus metrics at http://${args.metricsHost}:${server.port}/metrics`);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const settings = { ...DEFAULT_FAILOVER_SETTINGS, ...rt.networkConfig().rpc };
  const urls = rt.connection.networkConfig.type === "http" ? await endpointUrls(hre, undefined) : [];
  try {
    const result = await watchStack({
      ctx,
      config,
      stateFile: path.resolve(args.state ?? path.join(ctx.records.dir, "watch-state.json")),
      once: args.once,
      onAlert: output.onAlert,
      sinks,
      metrics,
      service: await rt.optionalTransactionService(),
      endpoints: urls.length === 0 ? undefined : { urls, timeoutMs: settings.timeout },
      respond: args.respond
        ? (alert) =>
            prepareResponse({
              ctx,
              alert,
              propose: (kind, options) => propose({ ctx, kind, options, checkUpgrade: rt.checkUpgrade }),
            })
        : undefined,
      signal: stop.signal,
    });
    return { ...result, failOn };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await server?.close();
  }
});
