import { expect } from "chai";
import { keccak256 } from "ethers";

import { ReleaseError } from "../../../src/core/errors.js";
import { createFailoverTransport } from "../../../src/core/rpc/create-failover-transport.js";
import type { JsonRpcRequest } from "../../../src/core/rpc/json-rpc.js";
import type { PostJsonRpcParameters, PostJsonRpcResult } from "../../../src/core/rpc/post-json-rpc.js";

type Behaviour = (request: JsonRpcRequest) => PostJsonRpcResult;

const ok =
  (result: unknown): Behaviour =>
  (req) => ({ type: "response", body: { jsonrpc: "2.0", id: req.id, result } });
const rpcError =
  (code: number, message: string): Behaviour =>
  (req) => ({ type: "response", body: { jsonrpc: "2.0", id: req.id, error: { code, message } } });
const timeout: Behaviour = () => ({ type: "exception", error: new Error("aborted"), timedOut: true });
const refused: Behaviour = () => ({
  type: "exception",
  error: Object.assign(new Error("fetch failed"), { cause: { code: "ECONNREFUSED" } }),
  timedOut: false,
});

/** A node at `url` on `chainId` with head `head`; `calls` overrides per method. */
function node(chainId: number, head: number, calls: Record<string, Behaviour> = {}): Behaviour {
  return (req) => {
    if (calls[req.method] !== undefined) return calls[req.method]!(req);
    if (req.method === "eth_chainId") return ok(`0x${chainId.toString(16)}`)(req);
    if (req.method === "eth_blockNumber") return ok(`0x${head.toString(16)}`)(req);
    return ok("0xabc")(req);
  };
}

/** A fake network: endpoints by URL, an injected clock, and a log of who got what. */
function fakeNet(endpoints: Record<string, Behaviour>) {
  const clock = { t: 0 };
  const seen: Array<{ url: string; method: string }> = [];
  const slept: number[] = [];
  const post = async ({ url, payload }: PostJsonRpcParameters): Promise<PostJsonRpcResult> => {
    seen.push({ url, method: payload.method });
    return endpoints[url]!(payload);
  };
  // null: no chainId configured.
  const transport = (urls: string[], chainId: number | null = 1) =>
    createFailoverTransport({
      network: "testnet",
      urls,
      chainId: chainId ?? undefined,
      now: () => clock.t,
      sleep: async (ms) => {
        slept.push(ms);
        clock.t += ms;
      },
      post,
    });
  const calls = (url: string, method?: string) =>
    seen.filter((s) => s.url === url && (method === undefined || s.method === method)).length;
  return { clock, seen, slept, transport, calls };
}

const req = (method: string, params: unknown[] = []): JsonRpcRequest => ({ jsonrpc: "2.0", id: 42, method, params });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("createFailoverTransport (fake endpoints, injected clock)", function () {
  it("serves from the primary when it is healthy, and keeps the caller's id", async function () {
    const net = fakeNet({ "http://a": node(1, 100), "http://b": node(1, 100) });
    const t = net.transport(["http://a", "http://b"]);
    expect(await t.request(req("eth_getBalance"))).to.deep.equal({ jsonrpc: "2.0", id: 42, result: "0xabc" });
    expect(t.lastEndpoint()).to.equal("#1 http://a");
    expect(net.calls("http://b", "eth_getBalance")).to.equal(0);
  });

  it("probes every endpoint once, not per request", async function () {
    const net = fakeNet({ "http://a": node(1, 100), "http://b": node(1, 100) });
    const t = net.transport(["http://a", "http://b"]);
    for (let i = 0; i < 5; i++) await t.request(req("eth_call"));
    expect(net.calls("http://a", "eth_chainId")).to.equal(1);
    expect(net.calls("http://b", "eth_chainId")).to.equal(1);
  });

  it("moves on when the primary times out mid-session, and demotes it for the cool-down", async function () {
    let hang = false;
    const primary = node(1, 100, { eth_call: (r) => (hang ? timeout(r) : ok("0x1")(r)) });
    const net = fakeNet({ "http://a": primary, "http://b": node(1, 100) });
    const t = net.transport(["http://a", "http://b"]);
    await t.request(req("eth_call"));
    hang = true;
    expect(await t.request(req("eth_call"))).to.have.property("result", "0xabc");
    expect(t.lastEndpoint()).to.equal("#2 http://b");
    await t.request(req("eth_call"));
    expect(net.calls("http://a", "eth_call")).to.equal(2);
    expect(t.status()[0]).to.include({ state: "down" });
  });

  it("re-probes a demoted endpoint after the cool-down, and returns to it only after a broadcast", async function () {
    let down = true;
    const primary: Behaviour = (r) => (down ? refused(r) : node(1, 100)(r));
    const net = fakeNet({ "http://a": primary, "http://b": node(1, 100) });
    const t = net.transport(["http://a", "http://b"]);
    await t.request(req("eth_getTransactionCount"));
    expect(t.lastEndpoint()).to.equal("#2 http://b");
    down = false;
    net.clock.t += 30_001;
    await t.request(req("eth_estimateGas")); // triggers the background probe; stays on b (sticky)
    expect(t.lastEndpoint()).to.equal("#2 http://b");
    await t.request(req("eth_sendRawTransaction", ["0x01"]));
    expect(t.lastEndpoint()).to.equal("#2 http://b");
    await t.request(req("eth_getTransactionReceipt"));
    expect(t.lastEndpoint()).to.equal("#1 http://a");
  });

  it("keeps nonce read, estimate and broadcast of one transaction on one endpoint", async function () {
    const net = fakeNet({ "http://a": node(1, 100), "http://b": node(1, 100) });
    const t = net.transport(["http://a", "http://b"]);
    for (const method of ["eth_getTransactionCount", "eth_estimateGas", "eth_feeHistory", "eth_sendRawTransaction"]) {
      await t.request(req(method, ["0x02"]));
      expect(t.lastEndpoint(), method).to.equal("#1 http://a");
    }
  });

  it("skips an HTTP 429 endpoint at once and leaves it alone for its Retry-After", async function () {
    const limited: Behaviour = (r) =>
      r.method === "eth_call" ? { type: "http-status", status: 429, retryAfter: "7" } : node(1, 100)(r);
    const net = fakeNet({ "http://a": limited, "http://b": node(1, 100) });
    const t = net.transport(["http://a", "http://b"]);
    expect(await t.request(req("eth_call"))).to.have.property("result");
    expect(net.slept).to.deep.equal([]);
    net.clock.t += 6_999;
    await t.request(req("eth_call"));
    expect(net.calls("http://a", "eth_call")).to.equal(1);
  });

  it("waits out a short Retry-After when every endpoint is rate-limited, then retries", async function () {
    // Each endpoint refuses its first eth_call, then answers.
    const busyOnce = (refusal: Behaviour): Behaviour => {
      let refused = false;
      return (r) => {
        if (r.method !== "eth_call" || refused) return node(1, 100)(r);
        refused = true;
        return refusal(r);
      };
    };
    const net = fakeNet({
      "http://a": busyOnce(() => ({ type: "http-status", status: 429, retryAfter: "2" })),
      "http://b": busyOnce(rpcError(-32005, "limit exceeded")),
    });
    const t = net.transport(["http://a", "http://b"]);
    expect(await t.request(req("eth_call"))).to.have.property("result");
    expect(t.lastEndpoint()).to.equal("#1 http://a");
    expect(net.slept).to.deep.equal([2_000]);
  });

  it("gives up with RS5002 (reasons per endpoint, URLs redacted) when a Retry-After is too long", async function () {
    const limited: Behaviour = (r) =>
      r.method === "eth_call" ? { type: "http-status", status: 429, retryAfter: "120" } : node(1, 100)(r);
    const net = fakeNet({ "https://a/v3/KEY": limited });
    const t = net.transport(["https://a/v3/KEY"]);
    const error = await rejection(t.request(req("eth_call")));
    expect(ReleaseError.is(error) && error.code).to.equal("RS5002");
    expect(String(error)).to.contain("#1 https://a/…: rate-limit");
    expect(String(error)).to.not.contain("KEY");
    expect(net.slept).to.deep.equal([]);
  });

  for (const [name, behaviour] of [
    ["HTTP 503", (): PostJsonRpcResult => ({ type: "http-status", status: 503, retryAfter: null })],
    ["garbage", (): PostJsonRpcResult => ({ type: "unparseable", snippet: "<html>" })],
    ["JSON-RPC -32603 header not found", rpcError(-32603, "header not found")],
    ["connection refused", refused],
  ] as Array<[string, Behaviour]>) {
    it(`fails over on ${name}`, async function () {
      const net = fakeNet({ "http://a": node(1, 100, { eth_call: behaviour }), "http://b": node(1, 100) });
      const t = net.transport(["http://a", "http://b"]);
      expect(await t.request(req("eth_call"))).to.have.property("result", "0xabc");
      expect(t.lastEndpoint()).to.equal("#2 http://b");
    });
  }

  it("returns an ordinary JSON-RPC error (invalid params) as the answer, without trying elsewhere", async function () {
    const net = fakeNet({
      "http://a": node(1, 100, { eth_call: rpcError(-32602, "invalid params") }),
      "http://b": node(1, 100),
    });
    const t = net.transport(["http://a", "http://b"]);
    expect(await t.request(req("eth_call"))).to.have.nested.property("error.code", -32602);
    expect(net.calls("http://b", "eth_call")).to.equal(0);
  });

  it("treats a revert from an in-sync endpoint as final", async function () {
    const net = fakeNet({
      "http://a": node(1, 100, { eth_estimateGas: rpcError(3, "execution reverted") }),
      "http://b": node(1, 101),
    });
    const t = net.transport(["http://a", "http://b"]);
    expect(await t.request(req("eth_estimateGas"))).to.have.nested.property("error.code", 3);
    expect(net.calls("http://b", "eth_estimateGas")).to.equal(0);
  });

  it("retries a revert elsewhere when the reverting endpoint turns out to lag", async function () {
    const a = node(1, 100, { eth_estimateGas: rpcError(3, "execution reverted") });
    let b: Behaviour = node(1, 100);
    const net = fakeNet({ "http://a": a, "http://b": (r) => b(r) });
    const t = net.transport(["http://a", "http://b"]);
    // Both in sync at the start...
    await t.request(req("eth_blockNumber"));
    // ...then b moves on and a stays behind: a's revert is not believed.
    b = node(1, 150);
    expect(await t.request(req("eth_estimateGas"))).to.have.property("result", "0xabc");
    expect(t.lastEndpoint()).to.equal("#2 http://b");
    expect(t.status()[0]).to.include({ state: "lagging" });
  });

  it("never uses an endpoint on another chain, even as the last one left", async function () {
    const net = fakeNet({ "http://a": node(5, 100), "http://b": refused });
    const t = net.transport(["http://a", "http://b"], 1);
    const error = await rejection(t.request(req("eth_call")));
    expect(ReleaseError.is(error) && error.code).to.equal("RS5002");
    expect(net.calls("http://a", "eth_call")).to.equal(0);
    expect(t.status()[0]).to.include({ state: "wrong-chain" });
  });

  it("takes the chain most endpoints agree on when none is configured", async function () {
    const net = fakeNet({ "http://a": node(5, 100), "http://b": node(1, 100), "http://c": node(1, 100) });
    const t = net.transport(["http://a", "http://b", "http://c"], null);
    await t.request(req("eth_call"));
    expect(t.lastEndpoint()).to.equal("#2 http://b");
  });

  it("refuses to pick between two chains with equal votes (RS5003)", async function () {
    const net = fakeNet({ "http://a": node(5, 100), "http://b": node(1, 100) });
    const error = await rejection(net.transport(["http://a", "http://b"], null).request(req("eth_call")));
    expect(ReleaseError.is(error) && error.code).to.equal("RS5003");
  });

  it("demotes an endpoint whose head lags behind the others at the start", async function () {
    const net = fakeNet({ "http://a": node(1, 50), "http://b": node(1, 100) });
    const t = net.transport(["http://a", "http://b"]);
    await t.request(req("eth_call"));
    expect(t.lastEndpoint()).to.equal("#2 http://b");
  });

  it("answers a re-sent broadcast that the first endpoint may have received: 'already known' is the hash", async function () {
    const raw = "0x02f86b0180";
    const net = fakeNet({
      "http://a": node(1, 100, { eth_sendRawTransaction: timeout }),
      "http://b": node(1, 100, { eth_sendRawTransaction: rpcError(-32000, "already known") }),
    });
    const t = net.transport(["http://a", "http://b"]);
    expect(await t.request(req("eth_sendRawTransaction", [raw]))).to.have.property("result", keccak256(raw));
  });

  it("fails with RS5002 when no endpoint answers the start-up probe, and probes again on the next request", async function () {
    let up = false;
    const net = fakeNet({ "http://a": (r) => (up ? node(1, 1)(r) : refused(r)) });
    const t = net.transport(["http://a"]);
    const error = await rejection(t.request(req("eth_call")));
    expect(ReleaseError.is(error) && error.code).to.equal("RS5002");
    up = true;
    expect(await t.request(req("eth_call"))).to.have.property("result");
  });
});
