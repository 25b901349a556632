import { expect } from "chai";

import { createFailoverTransport } from "../../../src/core/rpc/create-failover-transport.js";
import { ReleaseError } from "../../../src/core/errors.js";
import { FAULTS, startFaultyRpc, type Fault, type FaultyRpc } from "../../helpers/faulty-rpc.js";
import { startLoopbackNode, type LoopbackNode } from "../../helpers/loopback.js";

// Real short timeouts on loopback: a hung endpoint costs 150 ms per probe, a request 300 ms.
const SETTINGS = { timeout: 300, probeTimeout: 150, cooldown: 60_000, maxLagBlocks: 5, maxRetryWait: 0 };
const ALL: Fault[] = [...FAULTS, "healthy"];

/**
 * Who must answer a list of endpoints: the first healthy one (a lagging endpoint is demoted behind
 * it, a wrong chain never serves); with none healthy, the lagging one if present (it cannot be told
 * apart from a healthy node without a second opinion); otherwise nobody (RS5002).
 */
function expectedServer(faults: Fault[]): Fault | "none" {
  if (faults.includes("healthy")) return "healthy";
  if (faults.includes("lagging")) return "lagging";
  return "none";
}

describe("failover over loopback endpoints (every ordered pair of faults)", function () {
  this.timeout(120_000);
  let node: LoopbackNode;
  const servers = new Map<Fault, FaultyRpc>();
  let head: bigint;

  before(async function () {
    node = await startLoopbackNode();
    // Enough history for a node 50 blocks behind to have a state to answer from.
    await node.rpc("hardhat_mine", ["0x64"]);
    head = BigInt(await node.rpc<string>("eth_blockNumber"));
    for (const fault of ALL) servers.set(fault, await startFaultyRpc(fault, { upstream: node.url, hangMs: 5_000 }));
  });
  after(async function () {
    for (const server of servers.values()) await server.close();
    await node.stop();
  });

  for (const first of ALL) {
    for (const second of ALL) {
      const faults = [first, second];
      const who = expectedServer(faults);
      it(`${first} then ${second}: ${who === "none" ? "RS5002" : `answered by the ${who} endpoint`}`, async function () {
        const transport = createFailoverTransport({
          network: "loopback",
          urls: faults.map((f) => servers.get(f)!.url),
          chainId: 31337,
          settings: SETTINGS,
        });
        const ask = () => transport.request({ jsonrpc: "2.0", id: 7, method: "eth_blockNumber", params: [] });
        if (who === "none") {
          const error = await ask().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(ReleaseError.is(error) && error.code, String(error)).to.equal("RS5002");
          return;
        }
        const response = await ask();
        expect(response).to.have.property("id", 7);
        const served = BigInt((response as { result: string }).result);
        // The head tells the two apart: the lagging endpoint answers 50 blocks behind.
        if (who === "healthy") expect(served >= head).to.equal(true);
        else expect(served < head).to.equal(true);
        const index = faults.indexOf(who);
        expect(transport.lastEndpoint()).to.equal(`#${index + 1} ${servers.get(who)!.url}`);
      });
    }
  }

  it("serves a whole session from the healthy endpoint behind all seven bad ones, in order", async function () {
    const urls = [...FAULTS.filter((f) => f !== "lagging"), "lagging", "healthy"].map(
      (f) => servers.get(f as Fault)!.url,
    );
    const transport = createFailoverTransport({ network: "loopback", urls, chainId: 31337, settings: SETTINGS });
    const balance = await transport.request({
      jsonrpc: "2.0",
      id: 1,
      method: "eth_getBalance",
      params: ["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "latest"],
    });
    expect(balance).to.have.property("result");
    expect(transport.lastEndpoint()).to.equal(`#9 ${servers.get("healthy")!.url}`);
    const states = transport.status().map((s) => s.state);
    expect(states).to.deep.equal(["down", "down", "down", "down", "down", "down", "wrong-chain", "lagging", "ok"]);
  });

  it("never lets a wrong-chain endpoint serve, even when it is the only one that answers", async function () {
    const transport = createFailoverTransport({
      network: "loopback",
      urls: [servers.get("wrong-chain")!.url],
      chainId: 31337,
      settings: SETTINGS,
    });
    const error = await transport.request({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ReleaseError.is(error) && error.code).to.equal("RS5002");
    expect(String(error)).to.contain("wrong-chain");
  });

  it("refuses to guess when endpoints disagree about the chain and no chainId is configured (RS5003)", async function () {
    const transport = createFailoverTransport({
      network: "loopback",
      urls: [servers.get("wrong-chain")!.url, servers.get("healthy")!.url],
      settings: SETTINGS,
    });
    const error = await transport.request({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ReleaseError.is(error) && error.code).to.equal("RS5003");
  });

  it("answers from the in-sync node when old state would revert, and keeps an in-sync revert final", async function () {
    const FLAGGED = "0x00000000000000000000000000000000000f1a60";
    const ALWAYS_REVERTS = "0x00000000000000000000000000000000000dead0";
    // FLAGGED reverts unless storage slot 0 is set; the flag is set only in the newest block, so a
    // node 50 blocks behind reverts where an in-sync node succeeds.
    await node.rpc("hardhat_setCode", [FLAGGED, "0x600054600a57600080fd5b00"]);
    await node.rpc("hardhat_setCode", [ALWAYS_REVERTS, "0x600080fd"]);
    await node.rpc("hardhat_mine", ["0x3c"]);
    await node.rpc("hardhat_setStorageAt", [FLAGGED, "0x0", `0x${"00".repeat(31)}01`]);
    await node.rpc("hardhat_mine", ["0x1"]);
    const estimate = (to: string) => ({
      jsonrpc: "2.0" as const,
      id: 3,
      method: "eth_estimateGas",
      params: [{ from: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", to, data: "0x" }],
    });

    const lagFirst = createFailoverTransport({
      network: "loopback",
      urls: [servers.get("lagging")!.url, servers.get("healthy")!.url],
      chainId: 31337,
      settings: SETTINGS,
    });
    expect(await lagFirst.request(estimate(FLAGGED))).to.have.property("result");
    expect(lagFirst.lastEndpoint()).to.match(/^#2 /);

    servers.get("lagging")!.reset();
    const syncFirst = createFailoverTransport({
      network: "loopback",
      urls: [servers.get("healthy")!.url, servers.get("lagging")!.url],
      chainId: 31337,
      settings: SETTINGS,
    });
    const reverted = await syncFirst.request(estimate(ALWAYS_REVERTS));
    expect(reverted).to.have.property("error");
    expect(syncFirst.lastEndpoint()).to.match(/^#1 /);
    expect(servers.get("lagging")!.methods).to.not.include("eth_estimateGas");
  });
});

describe("JSON-RPC batches through the failover layer (loopback endpoints)", function () {
  this.timeout(120_000);
  let node: LoopbackNode;
  const servers = new Map<Fault, FaultyRpc>();
  const ACCOUNT = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
  // Four different reads issued together, as `Promise.all` in the core issues them.
  const reads = (transport: ReturnType<typeof createFailoverTransport>) =>
    Promise.all(
      [
        ["eth_blockNumber", []],
        ["eth_getCode", [ACCOUNT, "latest"]],
        ["eth_getBalance", [ACCOUNT, "latest"]],
        ["eth_getTransactionCount", [ACCOUNT, "latest"]],
      ].map(([method, params], id) =>
        transport.request({ jsonrpc: "2.0", id: 100 + id, method: method as string, params: params as unknown[] }),
      ),
    );
  const transportOf = (faults: Fault[], batchSize = 20) =>
    createFailoverTransport({
      network: "loopback",
      urls: faults.map((f) => servers.get(f)!.url),
      chainId: 31337,
      settings: { ...SETTINGS, batchSize },
    });
  // The truth, asked of the node directly.
  const truth = async () => [
    await node.rpc<string>("eth_blockNumber"),
    await node.rpc<string>("eth_getCode", [ACCOUNT, "latest"]),
    await node.rpc<string>("eth_getBalance", [ACCOUNT, "latest"]),
    await node.rpc<string>("eth_getTransactionCount", [ACCOUNT, "latest"]),
  ];

  before(async function () {
    node = await startLoopbackNode();
    await node.rpc("hardhat_mine", ["0x64"]);
    for (const fault of [...ALL, "no-batch", "batch-rate-limit", "batch-busy", "small-batches"] as Fault[]) {
      servers.set(fault, await startFaultyRpc(fault, { upstream: node.url, hangMs: 5_000 }));
    }
  });
  after(async function () {
    for (const server of servers.values()) await server.close();
    await node.stop();
  });
  beforeEach(() => servers.forEach((s) => s.reset()));

  it("sends reads issued together in one HTTP request, each answer to its own request", async function () {
    const answers = await reads(transportOf(["healthy"]));
    expect(answers.map((a) => a.id)).to.deep.equal([100, 101, 102, 103]);
    expect(answers.map((a) => (a as { result: string }).result)).to.deep.equal(await truth());
    const healthy = servers.get("healthy")!;
    // The start-up probe (chainId and head, one batch), then one batch of four.
    expect(healthy.httpRequests).to.equal(1 + 1);
    expect(healthy.methods.slice(-4)).to.deep.equal([
      "eth_blockNumber",
      "eth_getCode",
      "eth_getBalance",
      "eth_getTransactionCount",
    ]);
  });

  it("keeps each batch within batchSize, and sends each request alone with batchSize 1", async function () {
    await reads(transportOf(["healthy"], 3));
    expect(servers.get("healthy")!.httpRequests).to.equal(1 + 2);
    servers.get("healthy")!.reset();
    // Without batches the probe's two questions go alone too.
    await reads(transportOf(["healthy"], 1));
    expect(servers.get("healthy")!.httpRequests).to.equal(2 + 4);
  });

  it("sends one by one to an endpoint that refuses batches, from its first refusal on", async function () {
    const transport = transportOf(["no-batch"]);
    expect((await reads(transport)).map((a) => (a as { result: string }).result)).to.deep.equal(await truth());
    const server = servers.get("no-batch")!;
    // The probe's refused batch and its two questions alone; then, known to refuse, four alone.
    expect(server.httpRequests).to.equal(1 + 2 + 4);
    server.reset();
    await reads(transport);
    expect(server.httpRequests).to.equal(4);
  });

  it("halves the batches to an endpoint that refuses a batch as too large, and keeps to that size", async function () {
    const transport = transportOf(["small-batches"]);
    expect((await reads(transport)).map((a) => (a as { result: string }).result)).to.deep.equal(await truth());
    const server = servers.get("small-batches")!;
    // The probe (a batch of two), the refused batch of four, then two batches of two.
    expect(server.httpRequests).to.equal(1 + 1 + 2);
    server.reset();
    await reads(transport);
    expect(server.httpRequests).to.equal(2);
  });

  it("sends the same read issued twice in one turn once, each caller with its own id", async function () {
    const transport = transportOf(["healthy"]);
    const balance = (id: number) =>
      transport.request({ jsonrpc: "2.0", id, method: "eth_getBalance", params: [ACCOUNT, "latest"] });
    const answers = await Promise.all([balance(1), balance(2), reads(transport)]);
    expect([answers[0].id, answers[1].id]).to.deep.equal([1, 2]);
    expect(answers[0]).to.have.property("result", (await truth())[2]);
    expect(answers[1]).to.have.property("result", (await truth())[2]);
    // The probe, then one batch: the balance once, with the other three reads.
    expect(
      servers
        .get("healthy")!
        .methods.slice(2)
        .filter((m) => m === "eth_getBalance"),
    ).to.have.length(1);
    expect(servers.get("healthy")!.httpRequests).to.equal(1 + 1);
  });

  it("keeps a revert in a batch final when its endpoint is in sync: nothing is asked twice", async function () {
    const ALWAYS_REVERTS = "0x00000000000000000000000000000000000dead0";
    await node.rpc("hardhat_setCode", [ALWAYS_REVERTS, "0x600080fd"]);
    const transport = transportOf(["healthy"]);
    const [reverted, head] = await Promise.all([
      transport.request({ jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: ALWAYS_REVERTS }, "latest"] }),
      transport.request({ jsonrpc: "2.0", id: 2, method: "eth_blockNumber", params: [] }),
    ]);
    expect(reverted).to.have.property("error");
    expect(reverted.id).to.equal(1);
    expect(head).to.have.property("result");
    expect(servers.get("healthy")!.httpRequests).to.equal(1 + 1); // the probe, the batch
  });

  it("takes one rate-limit error for a whole batch as a busy endpoint, not as one without batches", async function () {
    const transport = transportOf(["batch-busy", "healthy"]);
    expect((await reads(transport)).map((a) => (a as { result: string }).result)).to.deep.equal(await truth());
    expect(transport.lastEndpoint()).to.match(/^#2 /);
    expect(transport.status()[0]!.failure?.kind).to.equal("rate-limit");
  });

  it("moves only the requests a batch failed on to the next endpoint", async function () {
    const answers = await reads(transportOf(["batch-rate-limit", "healthy"]));
    expect(answers.map((a) => (a as { result: string }).result)).to.deep.equal(await truth());
    // The second and fourth calls were rate-limited: they, and only they, went to the next endpoint
    // (after its start-up probe).
    expect([...servers.get("healthy")!.methods].sort()).to.deep.equal(
      ["eth_blockNumber", "eth_chainId", "eth_getCode", "eth_getTransactionCount"].sort(),
    );
  });

  it("answers eth_chainId from the probe, and eth_accounts from the first answer, without asking again", async function () {
    const transport = transportOf(["healthy"]);
    const ask = (method: string, id: number) => transport.request({ jsonrpc: "2.0", id, method, params: [] });
    expect(await ask("eth_chainId", 1)).to.deep.equal({ jsonrpc: "2.0", id: 1, result: "0x7a69" });
    const accounts = await ask("eth_accounts", 2);
    expect(await ask("eth_accounts", 3)).to.deep.equal({ ...accounts, id: 3 });
    expect(accounts)
      .to.have.property("result")
      .that.deep.equals(await node.rpc("eth_accounts"));
    // The probe (chainId and head in one batch), then eth_accounts once.
    expect(servers.get("healthy")!.methods).to.deep.equal(["eth_chainId", "eth_blockNumber", "eth_accounts"]);
  });

  for (const first of ALL) {
    for (const second of ALL) {
      const who = expectedServer([first, second]);
      if (who !== "healthy") continue;
      it(`${first} then ${second}: a batch is answered in full by the healthy endpoint`, async function () {
        const transport = transportOf([first, second]);
        const answers = await reads(transport);
        expect(answers.map((a) => (a as { result: string }).result)).to.deep.equal(await truth());
        expect(transport.lastEndpoint()).to.equal(
          `#${[first, second].indexOf("healthy") + 1} ${servers.get("healthy")!.url}`,
        );
      });
    }
  }
});
