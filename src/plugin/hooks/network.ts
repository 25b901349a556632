import { debuglog } from "node:util";

import type { HookContext, NetworkHooks } from "hardhat/types/hooks";
import type { NetworkConnection } from "hardhat/types/network";
import type { JsonRpcRequest, JsonRpcResponse } from "hardhat/types/providers";

import { createFailoverTransport, type FailoverTransport } from "../../core/rpc/create-failover-transport.js";
import type { Hex } from "../../core/types.js";

/**
 * Which endpoint answered what, and why one was demoted: `NODE_DEBUG=release-rpc npx hardhat ...`.
 * The transport only ever logs redacted URLs (API keys live in them).
 */
const debug = debuglog("release-rpc");

// Our layer does not care about the chain type: any connection, any chain.
type AnyConnection = NetworkConnection<string>;

// null: this connection is not ours to serve (an in-process chain).
const layers = new WeakMap<AnyConnection, Promise<FailoverTransport | null>>();
// Requests we are already routing: when they come round the chain a second time they belong to
// Hardhat's own handlers (see onRequest).
const routing = new WeakSet<JsonRpcRequest>();
const created = new WeakMap<AnyConnection, FailoverTransport>();
type BroadcastListener = (tx: { raw: Hex; hash: Hex }) => Promise<void>;
const broadcastListeners = new WeakMap<AnyConnection, BroadcastListener>();

/** Runs `listener` with every signed transaction of `connection` before it is posted (the journal). */
export function onBroadcast(connection: AnyConnection, listener: BroadcastListener): void {
  broadcastListeners.set(connection, listener);
}

async function createLayer(context: HookContext, connection: AnyConnection): Promise<FailoverTransport | null> {
  const config = connection.networkConfig;
  // In-process (EDR) networks never touch the network: leave them exactly as Hardhat runs them.
  // Every http network is served, one endpoint or several: timeouts, coded errors, the journal.
  if (config.type !== "http") return null;
  const urls = [await config.url.getUrl(), ...(await Promise.all(config.fallbackUrls.map((url) => url.getUrl())))];
  const layer = createFailoverTransport({
    network: connection.networkName,
    urls,
    chainId: config.chainId,
    settings: context.config.release.networks[connection.networkName]?.rpc,
    headers: config.httpHeaders,
    log: (line) => debug(`${connection.networkName}: ${line}`),
    onBroadcast: async (tx) => broadcastListeners.get(connection)?.(tx),
  });
  created.set(connection, layer);
  return layer;
}

function layerFor(context: HookContext, connection: AnyConnection): Promise<FailoverTransport | null> {
  let layer = layers.get(connection);
  if (layer === undefined) {
    layer = createLayer(context, connection);
    layers.set(connection, layer);
  }
  return layer;
}

/** The endpoint that gave `connection`'s last answer (redacted), or undefined without failover. */
export function failoverEndpoint(connection: AnyConnection): string | undefined {
  return created.get(connection)?.lastEndpoint();
}

/** The failover layer serving `connection`, once its first request has created it. */
export function failoverLayer(connection: AnyConnection): FailoverTransport | undefined {
  return created.get(connection);
}

export default async (): Promise<Partial<NetworkHooks>> => ({
  /**
   * Serves every JSON-RPC request of an http network (ours, OZ upgrades and
   * hardhat-verify: they all go through a connection of the network manager).
   *
   * Hardhat runs plugin handlers before its own built-in ones, and the built-in ones do the local
   * account work: answer eth_accounts, sign messages, and turn eth_sendTransaction into a signed
   * eth_sendRawTransaction. Answering here directly would skip that; calling `next` would let
   * Hardhat post the result to the network's `url`, bypassing failover. So the request is run
   * through the whole handler chain again, with the failover layer as the final step instead of
   * Hardhat's HTTP client: the second time round this handler sees the request marked and passes
   * it on; the built-in handlers sign; the layer sends. Their own lookups (nonce, chainId, gas)
   * are fresh requests and take the same route.
   */
  async onRequest(context, connection, request, next) {
    if (routing.has(request)) return next(context, connection, request);
    const layer = await layerFor(context, connection);
    if (layer === null) return next(context, connection, request);
    routing.add(request);
    try {
      return await context.hooks.runHandlerChain(
        "network",
        "onRequest",
        [connection, request],
        async (_context: HookContext, _connection: AnyConnection, final: JsonRpcRequest): Promise<JsonRpcResponse> =>
          await layer.request(final),
      );
    } finally {
      routing.delete(request);
    }
  },
  async closeConnection(context, connection, next) {
    layers.delete(connection);
    return next(context, connection);
  },
});
