import { keccak256 } from "ethers";

import type { Hex } from "../types.js";

import { ERRORS, ReleaseError } from "../errors.js";
import { classifyRpcFailure, type RpcFailure } from "./classify-rpc-failure.js";
import type { JsonRpcRequest, JsonRpcResponse } from "./json-rpc.js";
import { postJsonRpc, postJsonRpcBatch } from "./post-json-rpc.js";
import { probeEndpoint } from "./probe-endpoint.js";
import { redactUrl } from "./redact-url.js";

export interface FailoverSettings {
  /** Per attempt, in ms: a request not answered in time goes to the next endpoint. */
  timeout: number;
  /** For the eth_chainId + eth_blockNumber probes, in ms (they are cheap: a healthy node answers in a few ms). */
  probeTimeout: number;
  /** How long a failing endpoint is left alone before it is probed again, in ms. */
  cooldown: number;
  /** An endpoint more than this many blocks behind the highest head is demoted. */
  maxLagBlocks: number;
  /** The longest Retry-After we wait out when every endpoint is rate-limited, in ms. */
  maxRetryWait: number;
  /** Requests issued together travel as one JSON-RPC batch of at most this many; 1 sends each alone. */
  batchSize: number;
}

export const DEFAULT_FAILOVER_SETTINGS: FailoverSettings = {
  timeout: 2_000,
  probeTimeout: 1_000,
  cooldown: 30_000,
  maxLagBlocks: 5,
  maxRetryWait: 5_000,
  batchSize: 50,
};

export interface CreateFailoverTransportParameters {
  /** For messages only. */
  network: string;
  /** In order of preference: the network's `url` first, then its `fallbackUrls`. */
  urls: string[];
  /** The chain the network must be on; without it, the chainId most endpoints report. */
  chainId?: number;
  settings?: Partial<FailoverSettings>;
  headers?: Record<string, string>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  post?: typeof postJsonRpc;
  postBatch?: typeof postJsonRpcBatch;
  /** Debug lines (endpoint labels are redacted). */
  log?: (line: string) => void;
  /**
   * Called with every signed transaction before it is first posted: the journal records its hash
   * (and the raw bytes) before the transaction can reach any node.
   */
  onBroadcast?: (tx: { raw: Hex; hash: Hex }) => Promise<void>;
}

export type EndpointState = "unchecked" | "ok" | "lagging" | "down" | "wrong-chain";

export interface EndpointStatus {
  index: number;
  /** `#<n> <redacted url>` */
  label: string;
  state: EndpointState;
  chainId?: number;
  head?: bigint;
  failure?: RpcFailure;
}

export interface FailoverTransport {
  /** Answers one request from the best endpoint; throws RS5002 when none can, RS5003 when the chain is ambiguous. */
  request(request: JsonRpcRequest): Promise<JsonRpcResponse>;
  /** The endpoint that gave the last answer, redacted. */
  lastEndpoint(): string | undefined;
  status(): EndpointStatus[];
}

interface Endpoint {
  index: number;
  url: string;
  label: string;
  chainId?: number;
  head?: bigint;
  /** chainId checked and right. An unverified endpoint never serves. */
  verified: boolean;
  /** Permanent for the transport's lifetime: another chain never becomes this one. */
  wrongChain: boolean;
  lagging: boolean;
  downUntil: number;
  /** Set after a transport/timeout/server failure: probe again before trusting it. */
  needsProbe: boolean;
  failure?: RpcFailure;
  probing?: Promise<void>;
  /**
   * The largest batch this endpoint is sent: `batchSize`, halved each time it refuses a batch
   * (providers cap batch sizes); 1 once it refused a batch of two: its requests go one by one.
   */
  batchLimit: number;
}

// A transaction ends here: afterwards a recovered, preferred endpoint may take over again.
const SEND_METHODS = new Set(["eth_sendRawTransaction", "eth_sendTransaction"]);
// Sent alone: a broadcast has its own recovery, and a log query its own (longer) deadline.
const UNBATCHED = new Set([...SEND_METHODS, "eth_getLogs"]);

interface Waiting {
  req: JsonRpcRequest;
  resolve: (response: JsonRpcResponse) => void;
  reject: (error: unknown) => void;
}

/**
 * One failover layer for all JSON-RPC traffic of a network.
 *
 * - Before any endpoint serves, every endpoint is probed in parallel (chainId + head, bounded by
 *   `probeTimeout`): a hung endpoint costs one probe timeout once, not one timeout per request.
 *   Endpoints on another chain never serve; endpoints more than `maxLagBlocks` behind are only used
 *   when nothing in sync is left.
 * - Sticky: the endpoint that answered keeps serving until it fails or a transaction has been
 *   broadcast, so the nonce read, the estimates and the broadcast of one transaction see one node.
 * - Transport errors, timeouts, HTTP 429/5xx, garbage and JSON-RPC rate-limit codes move on to the
 *   next endpoint and demote the failing one (for Retry-After, else `cooldown`), after which it is
 *   probed again in the background.
 * - A revert is final only when the reverting endpoint is in sync with the others (its head is
 *   re-read then); a lagging node's revert is retried elsewhere.
 * - A broadcast that timed out may have reached the node: when the retry on the next endpoint says
 *   "already known", that is the transaction's hash, not an error.
 * - Reads issued together (in the same turn of the event loop) travel as one JSON-RPC batch of at
 *   most `batchSize` to the endpoint that would serve them, the same read (method and params) once.
 *   A request the batch did not answer (missing, rate-limited, a revert to be checked, the whole
 *   batch failing) goes on alone through the rules above. An endpoint that refuses a batch gets
 *   batches half that size from then on, and single requests once it refuses a batch of two.
 *
 * JSON-RPC: eth_chainId and eth_blockNumber (probes), then whatever is requested.
 */
export function createFailoverTransport(params: CreateFailoverTransportParameters): FailoverTransport {
  const settings = { ...DEFAULT_FAILOVER_SETTINGS, ...params.settings };
  const now = params.now ?? Date.now;
  const sleep = params.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const post = params.post ?? postJsonRpc;
  // A transport given its own `post` and no `postBatch` sends everything alone, probes included.
  const postBatch = params.postBatch ?? (params.post === undefined ? postJsonRpcBatch : undefined);
  const log = params.log ?? (() => {});
  const endpoints: Endpoint[] = params.urls.map((url, index) => ({
    index,
    url,
    label: `#${index + 1} ${redactUrl(url)}`,
    verified: false,
    wrongChain: false,
    lagging: false,
    downUntil: 0,
    needsProbe: true,
    batchLimit: settings.batchSize,
  }));
  let expectedChainId = params.chainId;
  let started: Promise<void> | undefined;
  let current: Endpoint | undefined;
  let last: Endpoint | undefined;

  function markDown(endpoint: Endpoint, failure: RpcFailure): void {
    const pause =
      failure.kind === "rate-limit" && failure.retryAfterMs !== undefined ? failure.retryAfterMs : settings.cooldown;
    endpoint.downUntil = now() + pause;
    endpoint.failure = failure;
    // A rate-limited endpoint is healthy, just busy: no probe (more requests) needed afterwards.
    if (failure.kind !== "rate-limit") endpoint.needsProbe = true;
    if (current === endpoint) current = undefined;
    log(`${endpoint.label} demoted for ${pause} ms: ${failure.kind} (${failure.message})`);
  }

  async function probe(endpoint: Endpoint): Promise<void> {
    const result = await probeEndpoint({
      url: endpoint.url,
      timeoutMs: settings.probeTimeout,
      now,
      post,
      // One round trip for both questions while the endpoint takes batches.
      postBatch: endpoint.batchLimit > 1 ? postBatch : undefined,
      headers: params.headers,
    });
    if (!result.ok) return markDown(endpoint, result.failure);
    if (result.batchRefused === true) {
      endpoint.batchLimit = 1;
      log(`${endpoint.label} answered the probe only one request at a time: its requests go one by one`);
    }
    endpoint.chainId = result.chainId;
    endpoint.head = result.head;
    endpoint.needsProbe = false;
    endpoint.downUntil = 0;
    endpoint.failure = undefined;
    if (expectedChainId !== undefined) judgeChain(endpoint);
    log(`${endpoint.label} probed: chainId ${result.chainId}, head ${result.head}, ${result.latencyMs} ms`);
  }

  function judgeChain(endpoint: Endpoint): void {
    if (endpoint.chainId === undefined) return;
    endpoint.verified = endpoint.chainId === expectedChainId;
    if (!endpoint.verified) {
      endpoint.wrongChain = true;
      endpoint.failure = {
        kind: "wrong-chain",
        message: `serves chainId ${endpoint.chainId}, expected ${expectedChainId}`,
      };
      log(`${endpoint.label} excluded: ${endpoint.failure.message}`);
    }
  }

  function judgeLag(): void {
    const heads = endpoints.filter((e) => e.verified && !e.needsProbe && e.head !== undefined).map((e) => e.head!);
    if (heads.length === 0) return;
    const highest = heads.reduce((a, b) => (a > b ? a : b));
    for (const e of endpoints) {
      if (e.head === undefined || !e.verified) continue;
      const lagging = e.head + BigInt(settings.maxLagBlocks) < highest;
      if (lagging && !e.lagging) log(`${e.label} demoted: head ${e.head} is ${highest - e.head} blocks behind`);
      e.lagging = lagging;
    }
  }

  async function start(): Promise<void> {
    await Promise.all(endpoints.map((e) => probe(e)));
    if (endpoints.every((e) => e.chainId === undefined)) throw noHealthyEndpoint("eth_chainId", new Map());
    if (expectedChainId === undefined) {
      const votes = new Map<number, number>();
      for (const e of endpoints) if (e.chainId !== undefined) votes.set(e.chainId, (votes.get(e.chainId) ?? 0) + 1);
      const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
      if (ranked.length > 1 && ranked[0]![1] === ranked[1]![1]) {
        const chains = endpoints
          .filter((e) => e.chainId !== undefined)
          .map((e) => `${e.label}: ${e.chainId}`)
          .join(", ");
        throw new ReleaseError(ERRORS.RPC.CHAIN_ID_DISAGREEMENT, { network: params.network, chains });
      }
      expectedChainId = ranked[0]![0];
      for (const e of endpoints) judgeChain(e);
    }
    judgeLag();
  }

  function noHealthyEndpoint(method: string, reasons: Map<Endpoint, string>): ReleaseError {
    const why = (e: Endpoint) =>
      reasons.get(e) ?? (e.failure === undefined ? "not usable" : `${e.failure.kind} (${e.failure.message})`);
    return new ReleaseError(ERRORS.RPC.NO_HEALTHY_ENDPOINT, {
      network: params.network,
      method,
      reasons: endpoints.map((e) => `${e.label}: ${why(e)}`).join("; "),
    });
  }

  function usable(e: Endpoint): boolean {
    return e.verified && !e.wrongChain && !e.needsProbe && e.downUntil <= now();
  }

  /** Re-probes endpoints whose cool-down is over, without making the current request wait. */
  function reprobeRecovered(): void {
    for (const e of endpoints) {
      if (e.wrongChain || !e.needsProbe || e.downUntil > now() || e.probing !== undefined) continue;
      e.probing = probe(e)
        .then(() => {
          if (expectedChainId !== undefined) judgeChain(e);
          judgeLag();
        })
        .finally(() => (e.probing = undefined));
    }
  }

  async function candidates(): Promise<Endpoint[]> {
    reprobeRecovered();
    let ready = endpoints.filter(usable);
    if (ready.length === 0) {
      // Nothing usable right now: wait for the probes of recovered endpoints rather than fail.
      await Promise.all(endpoints.flatMap((e) => (e.probing === undefined ? [] : [e.probing])));
      ready = endpoints.filter(usable);
    }
    if (ready.length === 0) {
      // Still nothing: a demoted endpoint of the right chain is a last resort, not a lost cause
      // (with a single endpoint, one timeout must not make every later request fail at once).
      ready = endpoints.filter((e) => e.verified && !e.wrongChain).sort((a, b) => a.downUntil - b.downUntil);
    }
    const inSync = ready.filter((e) => !e.lagging);
    const sticky = current !== undefined && inSync.includes(current) ? [current] : [];
    return [...sticky, ...inSync.filter((e) => e !== current), ...ready.filter((e) => e.lagging)];
  }

  /** True when `endpoint`'s head (re-read now) is within `maxLagBlocks` of the others'. */
  async function inSync(endpoint: Endpoint): Promise<boolean> {
    const others = endpoints.filter((e) => e !== endpoint && usable(e));
    if (others.length === 0) return true;
    await Promise.all([endpoint, ...others].map((e) => probe(e)));
    judgeLag();
    return !endpoint.lagging && !endpoint.needsProbe;
  }

  /**
   * Whether an endpoint of the right chain knows the transaction: asked of every verified endpoint,
   * hung or demoted ones included (a node that hung after accepting a transaction usually still
   * relays it). Only an answer naming this very hash counts: a liar cannot turn a refusal into "sent".
   */
  async function knownAnywhere(hash: Hex): Promise<boolean> {
    const answers = await Promise.all(
      endpoints
        .filter((e) => e.verified && !e.wrongChain)
        .map((e) =>
          post({
            url: e.url,
            payload: { jsonrpc: "2.0", id: 0, method: "eth_getTransactionByHash", params: [hash] },
            timeoutMs: settings.timeout,
            headers: params.headers,
          }),
        ),
    );
    return answers.some(
      (a) =>
        a.type === "response" &&
        "result" in a.body &&
        typeof a.body.result === "object" &&
        a.body.result !== null &&
        String((a.body.result as { hash?: unknown }).hash).toLowerCase() === hash.toLowerCase(),
    );
  }

  async function request(req: JsonRpcRequest): Promise<JsonRpcResponse> {
    // A failed start (nothing reachable, chains disagree) is retried by the next request.
    started ??= start().catch((error: unknown) => {
      started = undefined;
      throw error;
    });
    await started;
    const known = await knownAnswer(req);
    if (known !== undefined) return known;
    if (settings.batchSize > 1 && !UNBATCHED.has(req.method)) return together(req);
    if (req.method !== "eth_sendRawTransaction") return route(req);
    const hash = rawTxHash(req);
    await params.onBroadcast?.({ raw: (req.params as Hex[])[0]!, hash });
    // A broadcast is never reported failed while a node has the transaction: the endpoint that took
    // it may have hung (or errored) after passing it on, and another may call it "nonce too low".
    let routed: JsonRpcResponse;
    try {
      routed = await route(req);
    } catch (error) {
      if (await knownAnywhere(hash)) return { jsonrpc: "2.0", id: req.id, result: hash };
      throw error;
    }
    if ("error" in routed && (await knownAnywhere(hash))) return { jsonrpc: "2.0", id: req.id, result: hash };
    return routed;
  }

  async function route(req: JsonRpcRequest): Promise<JsonRpcResponse> {
    const reasons = new Map<Endpoint, string>();
    let sendTimedOut = false;
    for (let pass = 0; pass < 2; pass++) {
      for (const endpoint of await candidates()) {
        const startedAt = now();
        const outcome = await post({
          url: endpoint.url,
          payload: req,
          // Log queries scan many blocks: they get more time before the endpoint counts as hung.
          timeoutMs: req.method === "eth_getLogs" ? settings.timeout * 5 : settings.timeout,
          headers: params.headers,
        });
        let failure: RpcFailure | undefined;
        if (outcome.type !== "response") {
          failure = classifyRpcFailure(outcome, now());
          if (failure.kind === "timeout" && req.method === "eth_sendRawTransaction") sendTimedOut = true;
        } else if ("error" in outcome.body) {
          failure = classifyRpcFailure({ type: "json-rpc-error", error: outcome.body.error }, now());
          if (failure.kind === "revert" && !(await inSync(endpoint))) {
            failure = { kind: "lagging", message: `reverted while behind the other endpoints (${failure.message})` };
            log(`${req.method} ${endpoint.label}: ${failure.message}`);
            reasons.set(endpoint, failure.message);
            continue;
          }
          if (failure.kind === "other" && sendTimedOut && /already known|known transaction/i.test(failure.message)) {
            return answer(req, endpoint, startedAt, { jsonrpc: "2.0", id: req.id, result: rawTxHash(req) });
          }
          if (failure.kind === "revert" || failure.kind === "other")
            return answer(req, endpoint, startedAt, outcome.body);
        } else {
          return answer(req, endpoint, startedAt, outcome.body);
        }
        markDown(endpoint, failure);
        reasons.set(endpoint, `${failure.kind} (${failure.message})`);
      }
      // Everything failed. If the only obstacle is a short Retry-After, honour it once and retry.
      const wake = Math.min(...endpoints.filter((e) => e.failure?.kind === "rate-limit").map((e) => e.downUntil));
      if (pass > 0 || !Number.isFinite(wake) || wake - now() > settings.maxRetryWait) break;
      log(`every endpoint is busy: waiting ${Math.max(0, wake - now())} ms (Retry-After)`);
      await sleep(Math.max(0, wake - now()));
    }
    throw noHealthyEndpoint(req.method, reasons);
  }

  let waiting: Waiting[] = [];
  // The reads queued in this turn by method and params: the same read asked twice in one turn
  // (two parts of a command, or Hardhat fetching eth_accounts for each eth_call) travels once.
  let queuedReads = new Map<string, Promise<JsonRpcResponse>>();
  let accounts: Promise<JsonRpcResponse> | undefined;

  /**
   * Answers that cannot change under a connection, given without another round trip: the chain id
   * every serving endpoint was checked against (probes and re-probes keep checking it), and the
   * node's accounts once asked (Hardhat asks before every call without a sender until it knows).
   */
  async function knownAnswer(req: JsonRpcRequest): Promise<JsonRpcResponse | undefined> {
    if (req.method === "eth_chainId" && endpoints.some((e) => e.verified && !e.wrongChain)) {
      return { jsonrpc: "2.0", id: req.id, result: `0x${expectedChainId!.toString(16)}` };
    }
    if (req.method !== "eth_accounts") return undefined;
    accounts ??= (settings.batchSize > 1 ? together(req) : route(req)).catch((error: unknown) => {
      accounts = undefined;
      throw error;
    });
    return { ...(await accounts), id: req.id };
  }

  /** Queues a read; what is queued when the current turn of the event loop ends leaves together. */
  function together(req: JsonRpcRequest): Promise<JsonRpcResponse> {
    const key = `${req.method} ${JSON.stringify(req.params ?? [])}`;
    const same = queuedReads.get(key);
    if (same !== undefined) return same.then((response) => ({ ...response, id: req.id }));
    const queued = new Promise<JsonRpcResponse>((resolve, reject) => {
      waiting.push({ req, resolve, reject });
      if (waiting.length === 1) setImmediate(flush);
    });
    queuedReads.set(key, queued);
    return queued;
  }

  function flush(): void {
    const queued = waiting;
    waiting = [];
    queuedReads = new Map();
    void sendBatch(queued);
  }

  /** A refused batch: smaller ones from now on (halved), down to one request at a time. */
  function refuseBatches(endpoint: Endpoint, reason: string, items: Waiting[]): void {
    endpoint.batchLimit = Math.min(endpoint.batchLimit, items.length <= 2 ? 1 : Math.floor(items.length / 2));
    log(
      `${endpoint.label} refused a batch of ${items.length} (${reason}): ${endpoint.batchLimit > 1 ? `batches of at most ${endpoint.batchLimit} from now on` : "its requests go one by one"}`,
    );
    void sendBatch(items);
  }

  function alone(item: Waiting): void {
    route(item.req).then(item.resolve, item.reject);
  }

  async function sendBatch(items: Waiting[]): Promise<void> {
    const endpoint =
      items.length > 1
        ? await candidates().then(
            (c) => c[0],
            () => undefined,
          )
        : undefined;
    if (endpoint === undefined || endpoint.batchLimit <= 1 || postBatch === undefined) return items.forEach(alone);
    if (items.length > endpoint.batchLimit) {
      for (let i = 0; i < items.length; i += endpoint.batchLimit)
        void sendBatch(items.slice(i, i + endpoint.batchLimit));
      return;
    }
    const startedAt = now();
    const outcome = await postBatch({
      url: endpoint.url,
      payload: items.map((item, index) => ({ ...item.req, id: index })),
      timeoutMs: settings.timeout,
      headers: params.headers,
    });
    if (outcome.type === "refused") return refuseBatches(endpoint, outcome.reason, items);
    if (outcome.type === "single") {
      // One error for the whole batch: a busy endpoint (rate limit, server trouble) is demoted as
      // for a single request; anything else says it does not take batches.
      const failure = classifyRpcFailure({ type: "json-rpc-error", error: outcome.error }, now());
      if (failure.kind === "revert" || failure.kind === "other") return refuseBatches(endpoint, failure.message, items);
      markDown(endpoint, failure);
      return items.forEach(alone);
    }
    if (outcome.type !== "batch") {
      markDown(endpoint, classifyRpcFailure(outcome, now()));
      return items.forEach(alone);
    }
    const bodies = new Map(outcome.bodies.map((body) => [body.id, body]));
    const isRevert = (body: JsonRpcResponse | undefined) =>
      body !== undefined &&
      "error" in body &&
      classifyRpcFailure({ type: "json-rpc-error", error: body.error }, now()).kind === "revert";
    // A revert is final only from an in-sync endpoint: checked once for the whole batch (no
    // request at all with a single endpoint); behind the others, each revert is retried alone.
    const reverts = items.filter((_, index) => isRevert(bodies.get(index)));
    const revertsFinal = reverts.length > 0 && (await inSync(endpoint));
    items.forEach((item, index) => {
      const body = bodies.get(index);
      if (body !== undefined && "error" in body) {
        const failure = classifyRpcFailure({ type: "json-rpc-error", error: body.error }, now());
        if (failure.kind === "revert") {
          return revertsFinal ? item.resolve(answer(item.req, endpoint, startedAt, body)) : alone(item);
        }
        if (failure.kind !== "other") {
          markDown(endpoint, failure);
          return alone(item);
        }
      }
      if (body === undefined) return alone(item);
      item.resolve(answer(item.req, endpoint, startedAt, body));
    });
  }

  function answer(req: JsonRpcRequest, endpoint: Endpoint, startedAt: number, body: JsonRpcResponse): JsonRpcResponse {
    last = endpoint;
    current = SEND_METHODS.has(req.method) ? undefined : endpoint;
    log(
      `${req.method} answered by ${endpoint.label} in ${now() - startedAt} ms${"error" in body ? ` (error ${body.error.code})` : ""}`,
    );
    return { ...body, id: req.id };
  }

  return {
    request,
    lastEndpoint: () => last?.label,
    status: () =>
      endpoints.map((e) => ({
        index: e.index,
        label: e.label,
        state: e.wrongChain
          ? "wrong-chain"
          : usable(e)
            ? e.lagging
              ? "lagging"
              : "ok"
            : e.failure
              ? "down"
              : "unchecked",
        chainId: e.chainId,
        head: e.head,
        failure: e.failure,
      })),
  };
}

function rawTxHash(req: JsonRpcRequest): Hex {
  const raw = Array.isArray(req.params) ? (req.params[0] as string) : "0x";
  return keccak256(raw) as Hex;
}
