import { checkRpcHealth, type RpcHealthResult } from "../rpc/check-rpc-health.js";
import { postJsonRpc } from "../rpc/post-json-rpc.js";
import { redactUrl } from "../rpc/redact-url.js";
import { raiseAlert, type Alert, type AlertKind } from "./alert.js";
import type { ConditionContext } from "./stack-conditions.js";

/** Endpoint checks remembered between rounds: whether each failed, the latest last. */
export type EndpointHistory = Record<string, boolean[]>;
const HISTORY = 20;

export interface EndpointCheck {
  health: RpcHealthResult;
  /** Block hashes of one height by endpoint (redacted URL), when they disagree. */
  disagreement: { block: number; hashes: Record<string, string> } | null;
}

/**
 * Probes every endpoint of the network (chain, head) and asks each for the hash of the highest
 * block they all have: endpoints that lag, fail, or disagree on a block's hash (one of them is on
 * another fork, or lying) are what the failover layer quietly works around; the watcher says so.
 *
 * JSON-RPC: eth_chainId, eth_blockNumber, eth_getBlockByNumber per endpoint.
 */
export async function checkEndpoints(params: {
  network: string;
  urls: string[];
  chainId: number;
  timeoutMs: number;
  maxLagBlocks: number;
}): Promise<EndpointCheck> {
  const health = await checkRpcHealth({ ...params, now: () => performance.now() });
  const live = health.endpoints.filter((e) => e.head !== null && (e.state === "ok" || e.state === "lagging"));
  if (live.length < 2) return { health, disagreement: null };
  const block = Number(live.reduce((min, e) => (e.head! < min ? e.head! : min), live[0]!.head!));
  const hashes: Record<string, string> = {};
  await Promise.all(
    live.map(async (e) => {
      const outcome = await postJsonRpc({
        url: params.urls[e.index]!,
        payload: { jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: [`0x${block.toString(16)}`, false] },
        timeoutMs: params.timeoutMs,
      });
      if (outcome.type === "response" && "result" in outcome.body) {
        const hash = (outcome.body.result as { hash?: unknown } | null)?.hash;
        if (typeof hash === "string") hashes[redactUrl(params.urls[e.index]!)] = hash;
      }
    }),
  );
  const distinct = new Set(Object.values(hashes));
  return { health, disagreement: distinct.size > 1 ? { block, hashes } : null };
}

/** The endpoint conditions that hold now, and the failure history updated in place. */
export function endpointConditions(
  check: EndpointCheck,
  history: EndpointHistory,
  ctx: Omit<ConditionContext, "time">,
): Alert[] {
  const make = (id: string, kind: AlertKind, title: string, details: string[]): Alert =>
    raiseAlert(ctx, kind, { id, title, details, action: ctx.command("release rpc-health") });
  const alerts: Alert[] = [];
  for (const e of check.health.endpoints) {
    const failed = e.state !== "ok" && e.state !== "lagging";
    history[e.url] = [...(history[e.url] ?? []), failed].slice(-HISTORY);
    const record = history[e.url]!;
    const rate = record.filter(Boolean).length / record.length;
    if (e.state === "lagging") {
      alerts.push(make(`lag:${e.url}`, "endpoint-lag", `Endpoint ${e.url} is ${e.lag} blocks behind the others`, []));
    }
    if (e.state === "wrong-chain") {
      alerts.push(make(`errors:${e.url}`, "endpoint-errors", `Endpoint ${e.url} serves chainId ${e.chainId}`, []));
    } else if (rate > ctx.config.errorRate) {
      alerts.push(
        make(
          `errors:${e.url}`,
          "endpoint-errors",
          `Endpoint ${e.url} failed ${Math.round(rate * 100)}% of the last ${record.length} checks`,
          e.detail === null ? [] : [e.detail],
        ),
      );
    }
  }
  if (check.disagreement !== null) {
    const { block, hashes } = check.disagreement;
    alerts.push(
      make(
        "disagree",
        "endpoint-disagree",
        `Endpoints disagree on the hash of block ${block}: one is on another fork, or lying`,
        Object.entries(hashes).map(([url, hash]) => `${url}: ${hash}`),
      ),
    );
  }
  return alerts;
}
