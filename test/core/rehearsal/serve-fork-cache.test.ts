import { createServer, type Server } from "node:http";

import { expect } from "chai";

import { serveForkCache, type ForkCache } from "../../../src/core/rehearsal/serve-fork-cache.js";

/** An upstream stand-in on 127.0.0.1 that answers every JSON-RPC call and counts them. */
async function countingUpstream(): Promise<{ url: string; calls: string[]; server: Server }> {
  const calls: string[] = [];
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", () => {
      const call = JSON.parse(text) as { id: number; method: string; params: unknown[] };
      calls.push(call.method);
      const body =
        call.method === "eth_fail"
          ? { jsonrpc: "2.0", id: call.id, error: { code: -32000, message: "boom" } }
          : { jsonrpc: "2.0", id: call.id, result: `${call.method}:${calls.length}` };
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, calls, server };
}

async function rpc(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.json();
}

describe("serveForkCache", function () {
  let upstream: Awaited<ReturnType<typeof countingUpstream>>;
  let cache: ForkCache;
  beforeEach(async function () {
    upstream = await countingUpstream();
    cache = await serveForkCache(upstream.url);
  });
  afterEach(async function () {
    await cache.close();
    await new Promise((resolve) => upstream.server.close(resolve));
  });

  it("answers a read pinned to a block number once, keeping each caller's id", async function () {
    const call = {
      jsonrpc: "2.0",
      method: "eth_getBalance",
      params: ["0x00000000000000000000000000000000000000aa", "0x10"],
    };
    const first = (await rpc(cache.url, { ...call, id: 7 })) as { id: number; result: string };
    const second = (await rpc(cache.url, { ...call, id: 8 })) as { id: number; result: string };
    expect(second.result).to.equal(first.result);
    expect([first.id, second.id]).to.deep.equal([7, 8]);
    expect(upstream.calls).to.deep.equal(["eth_getBalance"]);
    expect(cache.stats()).to.deep.equal({ upstream: 1, cached: 1 });
  });

  it("passes reads at a tag such as latest through every time", async function () {
    const call = {
      jsonrpc: "2.0",
      id: 1,
      method: "eth_getCode",
      params: ["0x00000000000000000000000000000000000000aa", "latest"],
    };
    await rpc(cache.url, call);
    await rpc(cache.url, call);
    expect(upstream.calls).to.have.length(2);
  });

  it("passes writes and unknown methods through", async function () {
    await rpc(cache.url, { jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: ["0x00"] });
    await rpc(cache.url, { jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: ["0x00"] });
    expect(upstream.calls).to.have.length(2);
  });

  it("never caches an error", async function () {
    const call = { jsonrpc: "2.0", id: 1, method: "eth_fail", params: ["0x1"] };
    await rpc(cache.url, call);
    await rpc(cache.url, call);
    expect(upstream.calls).to.have.length(2);
  });

  it("answers batches call by call", async function () {
    const read = {
      jsonrpc: "2.0",
      method: "eth_getStorageAt",
      params: ["0x00000000000000000000000000000000000000aa", "0x0", "0x10"],
    };
    const answers = (await rpc(cache.url, [
      { ...read, id: 1 },
      { ...read, id: 2 },
      { jsonrpc: "2.0", id: 3, method: "eth_chainId", params: [] },
    ])) as Array<{ id: number }>;
    expect(answers.map((a) => a.id)).to.deep.equal([1, 2, 3]);
    expect(upstream.calls.sort()).to.deep.equal(["eth_chainId", "eth_getStorageAt"]);
  });
});
