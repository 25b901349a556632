import { expect } from "chai";
import hre from "hardhat";

import { ERRORS, ReleaseError, type ErrorDescriptor } from "../../../src/core/errors.js";
import type { ExplorerName, StackRecord } from "../../../src/core/records/stack-record.js";
import { listStackContracts } from "../../../src/core/verify/list-stack-contracts.js";
import type { ExplorerSetup } from "../../../src/core/verify/resolve-explorers.js";
import {
  verifyStack,
  type SubmissionOutcome,
  type VerificationRequest,
  type VerifyStackParameters,
} from "../../../src/core/verify/verify-stack.js";
import { createCompiledCodeSource } from "../../../src/plugin/compiled-code.js";
import { newTestChain, type TestChain } from "../../helpers/deploy.js";

const compiled = createCompiledCodeSource(hre);
const CHAIN_ID = 31337;

function setups(overrides: Partial<Record<ExplorerName, Partial<ExplorerSetup>>> = {}) {
  const base: Record<ExplorerName, ExplorerSetup> = {
    etherscan: {
      enabled: true,
      chainIds: [CHAIN_ID],
      apiKey: { variable: "ETHERSCAN_API_KEY", isSet: async () => true },
    },
    blockscout: { enabled: true, chainIds: [CHAIN_ID] },
    sourcify: { enabled: true, chainIds: "any" },
  };
  for (const [name, o] of Object.entries(overrides)) Object.assign(base[name as ExplorerName], o);
  return base;
}

/** An explorer stand-in as the core sees it: answers scripted per explorer and contract name. */
class FakeExplorers {
  readonly requests: VerificationRequest[] = [];
  private readonly scripts = new Map<string, SubmissionOutcome["result"][]>();

  script(explorer: ExplorerName, contractName: string, answers: SubmissionOutcome["result"][]) {
    this.scripts.set(`${explorer}/${contractName}`, answers);
  }

  readonly submit = async (request: VerificationRequest): Promise<SubmissionOutcome> => {
    this.requests.push(request);
    const key = `${request.explorer}/${request.contract.split(":")[1]}`;
    const answer = this.scripts.get(key)?.shift() ?? "verified";
    if (answer === "failed") return { result: "failed", url: "", message: "Fail - Unable to verify" };
    return { result: answer, url: `https://${request.explorer}.example/address/${request.address}#code` };
  };
}

interface Harness {
  chain: TestChain;
  stack: StackRecord;
  explorers: FakeExplorers;
  sleeps: number[];
  run(extra?: Partial<VerifyStackParameters>): ReturnType<typeof verifyStack>;
}

async function harness(): Promise<Harness> {
  const chain = await newTestChain();
  const { stack } = await chain.deploy();
  const explorers = new FakeExplorers();
  const sleeps: number[] = [];
  return {
    chain,
    stack,
    explorers,
    sleeps,
    run: (extra = {}) =>
      verifyStack({
        network: "default",
        provider: chain.connection.ethers.provider,
        records: chain.records,
        compiled,
        explorers: { setups: setups() },
        submit: explorers.submit,
        retry: { attempts: 4, delayMs: 1000 },
        sleep: async (ms) => void sleeps.push(ms),
        now: () => new Date("2026-01-02T03:04:05Z"),
        ...extra,
      }),
  };
}

async function expectError(promise: Promise<unknown>, descriptor: ErrorDescriptor): Promise<ReleaseError> {
  try {
    await promise;
  } catch (error) {
    expect(ReleaseError.is(error, descriptor), String(error)).to.equal(true);
    return error as ReleaseError;
  }
  return expect.fail(`expected ${descriptor.code}`);
}

describe("verifyStack (release verify)", function () {
  it("submits each contract to each explorer with its constructor arguments, and records the outcome", async function () {
    const h = await harness();
    const result = await h.run();
    expect(result.ok).to.equal(true);
    expect(result.explorers).to.deep.equal(["etherscan", "blockscout", "sourcify"]);
    expect(result.rows).to.have.length(9);
    const etherscan = h.explorers.requests.filter((r) => r.explorer === "etherscan");
    expect(etherscan.map((r) => r.contract)).to.deep.equal([
      "contracts/example/VaultV1.sol:VaultV1",
      "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol:ERC1967Proxy",
      "contracts/governance/ReleaseTimelock.sol:ReleaseTimelock",
    ]);
    const [impl, proxy, timelock] = etherscan;
    expect(impl!.constructorArgs).to.deep.equal([]);
    expect(proxy!.constructorArgs[0]).to.equal(h.stack.proxies.Vault!.implementation);
    expect(timelock!.constructorArgs).to.deep.equal([
      3600,
      [h.stack.safes.owners.address],
      [h.stack.safes.owners.address],
      [h.stack.safes.guardian.address],
    ]);
    // The Safe side is checked locally, never submitted.
    expect(h.explorers.requests.some((r) => r.contract.includes("safe"))).to.equal(false);
    expect(result.code.filter((c) => c.kind === "safe-contract").every((c) => c.status === "exact")).to.equal(true);

    const recorded = (await h.chain.records.readStack())!.verification!;
    expect(recorded[h.stack.timelock.address]!.sourcify).to.deep.equal({
      status: "verified",
      url: `https://sourcify.example/address/${h.stack.timelock.address}#code`,
      at: "2026-01-02T03:04:05.000Z",
    });
  });

  it("re-derives constructor arguments that reproduce the CREATE2 addresses", async function () {
    const h = await harness();
    const contracts = await listStackContracts({ stack: h.stack, compiled });
    expect(contracts.map((c) => [c.subject, c.argsReproduceAddress])).to.deep.equal([
      ["VaultV1 implementation of Vault", true],
      ["Vault proxy", true],
      ["timelock", true],
    ]);
  });

  it("retries 'not indexed yet' with a doubling wait, then succeeds", async function () {
    const h = await harness();
    h.explorers.script("etherscan", "VaultV1", ["not-indexed", "not-indexed", "verified"]);
    const result = await h.run({ explorers: { requested: ["etherscan"], setups: setups() } });
    expect(result.ok).to.equal(true);
    expect(h.sleeps).to.deep.equal([1000, 2000]);
    expect(result.rows.find((r) => r.contract === "VaultV1")).to.include({ outcome: "verified", attempts: 3 });
  });

  it("gives up on 'not indexed' after the attempt limit, records it as failed, and a re-run retries it", async function () {
    const h = await harness();
    h.explorers.script("etherscan", "VaultV1", ["not-indexed", "not-indexed", "not-indexed", "not-indexed"]);
    const first = await h.run({ explorers: { requested: ["etherscan"], setups: setups() } });
    expect(first.ok).to.equal(false);
    expect(h.sleeps).to.deep.equal([1000, 2000, 4000]);
    const row = first.rows.find((r) => r.contract === "VaultV1")!;
    expect(row).to.include({ outcome: "not-indexed", attempts: 4 });
    expect((await h.chain.records.readStack())!.verification![row.address]!.etherscan!.status).to.equal("failed");

    h.explorers.requests.length = 0;
    const second = await h.run({ explorers: { requested: ["etherscan"], setups: setups() } });
    expect(second.ok).to.equal(true);
    expect(h.explorers.requests.map((r) => r.contract.split(":")[1])).to.deep.equal(["VaultV1"]);
  });

  it("treats 'already verified' as success", async function () {
    const h = await harness();
    h.explorers.script("blockscout", "ERC1967Proxy", ["already-verified"]);
    const result = await h.run();
    expect(result.ok).to.equal(true);
    expect(result.rows.find((r) => r.explorer === "blockscout" && r.contract === "ERC1967Proxy")!.outcome).to.equal(
      "already-verified",
    );
  });

  it("keeps going after a hard failure on one contract, and a re-run resubmits only that one", async function () {
    const h = await harness();
    h.explorers.script("etherscan", "ReleaseTimelock", ["failed"]);
    h.explorers.script("sourcify", "VaultV1", ["failed"]);
    const first = await h.run();
    expect(first.ok).to.equal(false);
    expect(h.explorers.requests).to.have.length(9);
    expect(first.rows.filter((r) => r.outcome === "failed").map((r) => `${r.explorer}/${r.contract}`)).to.deep.equal([
      "sourcify/VaultV1",
      "etherscan/ReleaseTimelock",
    ]);

    h.explorers.requests.length = 0;
    const second = await h.run();
    expect(second.ok).to.equal(true);
    expect(h.explorers.requests.map((r) => `${r.explorer}/${r.contract.split(":")[1]}`)).to.deep.equal([
      "sourcify/VaultV1",
      "etherscan/ReleaseTimelock",
    ]);
    expect(second.rows.filter((r) => r.outcome === "previously-verified")).to.have.length(7);
  });

  it("records a submitter that throws (an explorer that is down) as a failure and goes on", async function () {
    const h = await harness();
    const result = await h.run({
      submit: async (r) => {
        if (r.explorer === "blockscout") throw new Error("connect ECONNREFUSED 127.0.0.1:9");
        return h.explorers.submit(r);
      },
    });
    expect(result.ok).to.equal(false);
    expect(result.rows.filter((r) => r.outcome === "failed").map((r) => r.explorer)).to.deep.equal([
      "blockscout",
      "blockscout",
      "blockscout",
    ]);
    expect(result.rows.filter((r) => r.outcome === "verified")).to.have.length(6);
  });

  it("verifies earlier implementations too, and --contract narrows the run", async function () {
    const h = await harness();
    // An upgrade as the records show it: a second implementation in the proxy's history.
    const v2 = await h.chain.connection.ethers.deployContract("VaultV2");
    const stack = (await h.chain.records.readStack())!;
    const proxy = stack.proxies.Vault!;
    const v2Address = (await v2.getAddress()) as `0x${string}`;
    proxy.history.push({
      address: v2Address,
      contract: "VaultV2",
      bytecodeHash: `0x${"00".repeat(32)}`,
      reason: "upgrade",
    });
    proxy.implementation = v2Address;
    proxy.contract = "VaultV2";
    await h.chain.records.writeStack(stack);

    const result = await h.run({ contract: "Vault", explorers: { requested: ["etherscan"], setups: setups() } });
    expect(result.ok).to.equal(true);
    expect(result.rows.map((r) => r.subject)).to.deep.equal([
      "VaultV1 implementation of Vault",
      "VaultV2 implementation of Vault",
      "Vault proxy",
    ]);
    // The proxy was constructed with the first implementation, whatever it points at now.
    const proxyRequest = h.explorers.requests.find((r) => r.contract.endsWith(":ERC1967Proxy"))!;
    expect(proxyRequest.constructorArgs[0]).to.equal(h.stack.proxies.Vault!.implementation);
    expect(result.code.some((c) => c.kind === "safe-contract")).to.equal(false);
  });

  it("does not submit a contract whose on-chain code is not its artifact", async function () {
    const h = await harness();
    const v2 = await hre.artifacts.readArtifact("VaultV2");
    await h.chain.connection.provider.request({
      method: "hardhat_setCode",
      params: [h.stack.proxies.Vault!.implementation, v2.deployedBytecode],
    });
    const result = await h.run({ explorers: { requested: ["etherscan"], setups: setups() } });
    expect(result.ok).to.equal(false);
    expect(h.explorers.requests.map((r) => r.contract.split(":")[1])).to.deep.equal([
      "ERC1967Proxy",
      "ReleaseTimelock",
    ]);
    expect(result.rows[0]!.message).to.contain("not submitted");
  });

  describe("bad input", function () {
    it("refuses a missing API key, naming the config variable (RS4001)", async function () {
      const h = await harness();
      const error = await expectError(
        h.run({
          explorers: {
            setups: setups({
              etherscan: { apiKey: { variable: "MY_ETHERSCAN_KEY", isSet: async () => false } },
            }),
          },
        }),
        ERRORS.VERIFY.API_KEY_MISSING,
      );
      expect(error.message).to.contain("MY_ETHERSCAN_KEY");
      expect(h.explorers.requests).to.have.length(0);
    });

    it("refuses an explorer that does not know the chain (RS4002)", async function () {
      const h = await harness();
      await expectError(
        h.run({ explorers: { requested: ["blockscout"], setups: setups({ blockscout: { chainIds: [1] } }) } }),
        ERRORS.VERIFY.EXPLORER_NOT_CONFIGURED,
      );
    });

    it("refuses an unknown chain when no enabled explorer knows it (RS4002)", async function () {
      const h = await harness();
      await expectError(
        h.run({
          explorers: {
            setups: setups({
              etherscan: { chainIds: [1] },
              blockscout: { chainIds: [1] },
              sourcify: { enabled: false },
            }),
          },
        }),
        ERRORS.VERIFY.EXPLORER_NOT_CONFIGURED,
      );
    });

    it("skips, with a warning, enabled explorers that do not know the chain", async function () {
      const h = await harness();
      const events: string[] = [];
      const result = await h.run({
        explorers: { setups: setups({ blockscout: { chainIds: [1] } }) },
        onEvent: (e) => e.type === "verify-skipped-explorer" && events.push(e.explorer),
      });
      expect(result.explorers).to.deep.equal(["etherscan", "sourcify"]);
      expect(events).to.deep.equal(["blockscout"]);
    });

    it("refuses an unknown explorer name (RS4003) and a disabled one (RS4006)", async function () {
      const h = await harness();
      await expectError(
        h.run({ explorers: { requested: ["etherscan", "polygonscan"], setups: setups() } }),
        ERRORS.VERIFY.UNKNOWN_EXPLORER,
      );
      await expectError(
        h.run({ explorers: { requested: ["sourcify"], setups: setups({ sourcify: { enabled: false } }) } }),
        ERRORS.VERIFY.EXPLORER_DISABLED,
      );
    });

    it("refuses records written for another chain (RS5001)", async function () {
      const h = await harness();
      const stack = (await h.chain.records.readStack())!;
      await h.chain.records.writeStack({ ...stack, chainId: 1 });
      await expectError(h.run(), ERRORS.RPC.CHAIN_ID_MISMATCH);
    });
  });
});
