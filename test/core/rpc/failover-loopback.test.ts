import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { Contract, Interface, TypedDataEncoder, ZeroAddress, concat, type Signer } from "ethers";
import { network } from "hardhat";

import { sendJournaled } from "../../../src/core/chain/send-journaled.js";
import type { ReleaseEvent } from "../../../src/core/events.js";
import { createFeeStrategy } from "../../../src/core/gas/create-fee-strategy.js";
import type { TransactionCostEstimate } from "../../../src/core/gas/estimate-transaction-cost.js";
import { resolveFeePolicy } from "../../../src/core/gas/resolve-fee-policy.js";
import type { RpcHealthResult } from "../../../src/core/rpc/check-rpc-health.js";
import { openRecords } from "../../../src/core/records/records-store.js";
import type { StackRecord } from "../../../src/core/records/stack-record.js";
import { failoverEndpoint } from "../../../src/plugin/hooks/network.js";
import { startFaultyRpc, type FaultyRpc } from "../../helpers/faulty-rpc.js";
import { startLoopbackNode, type LoopbackNode } from "../../helpers/loopback.js";
import { runCli } from "../../helpers/run-cli.js";
import { SAFE_TX_TYPES } from "../../helpers/safe-typed-data.js";

const MNEMONIC = "test test test test test test test test test test test junk";
const RECIPIENT = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const SAFE_ABI = [
  "function nonce() view returns (uint256)",
  "function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) payable returns (bool)",
  "event ExecutionSuccess(bytes32 indexed txHash, uint256 payment)",
];

describe("a hung primary RPC endpoint, end to end", function () {
  this.timeout(180_000);
  let node: LoopbackNode;
  let hung: FaultyRpc;

  before(async function () {
    node = await startLoopbackNode();
    hung = await startFaultyRpc("hang", { hangMs: 60_000 });
  });
  after(async function () {
    await hung.close();
    await node.stop();
  });

  it("release gas --rpc <hung>,<node> --json: a correct estimate from the node in three requests", async function () {
    const result = await node.cli([
      "release",
      "gas",
      "--network",
      "localhost",
      "--rpc",
      `${hung.url},${node.url}`,
      "--to",
      RECIPIENT,
      "--value",
      "1000",
      "--json",
    ]);
    expect(result.code, result.stderr).to.equal(0);
    const estimate = JSON.parse(result.stdout) as Record<string, unknown> & { fees: Record<string, string> };
    expect(BigInt(estimate.gasEstimate as string) >= 21000n).to.equal(true);
    expect(BigInt(estimate.gasLimit as string)).to.equal((BigInt(estimate.gasEstimate as string) * 120n) / 100n);
    expect(estimate.fees.type).to.equal("eip1559");
    expect(BigInt(estimate.fees.maxFeePerGas!)).to.equal(
      2n * BigInt(estimate.fees.nextBaseFee!) + BigInt(estimate.fees.maxPriorityFeePerGas!),
    );
    expect(estimate.endpoint).to.equal(`#2 ${node.url}`);
    expect(estimate.requests).to.equal(3);
    // The hung endpoint only ever saw the start-up probe.
    expect([...new Set(hung.methods)].sort()).to.deep.equal(["eth_blockNumber", "eth_chainId"]);
  });

  it("release rpc-health --json reports the hung endpoint as timed out and the node as ok, keys redacted", async function () {
    const result = await node.cli([
      "release",
      "rpc-health",
      "--network",
      "localhost",
      "--rpc",
      `${hung.url}/v3/SECRET-KEY,${node.url}?apikey=SECRET-KEY`,
      "--json",
    ]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.not.contain("SECRET-KEY");
    const health = JSON.parse(result.stdout) as RpcHealthResult;
    expect(health.endpoints.map((e) => e.state)).to.deep.equal(["timeout", "ok"]);
    expect(health.endpoints[1]).to.include({ chainId: 31337, lag: 0 });
  });

  it("release rpc-health exits 1 when no endpoint is healthy", async function () {
    const result = await node.cli(["release", "rpc-health", "--network", "localhost", "--rpc", hung.url]);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.contain("No healthy endpoint");
  });

  it("release gas refuses an --rpc that is not an http URL (RS5004)", async function () {
    const result = await node.cli(["release", "gas", "--network", "localhost", "--rpc", "ws://x", "--to", RECIPIENT]);
    expect(result.code).to.not.equal(0);
    expect(result.stderr + result.stdout).to.contain("RS5004");
  });

  it("release deploy succeeds on a network whose url hangs, with locally signed transactions, fees printed first", async function () {
    const result = await runCli(node, ["release", "deploy", "--network", "failover"], {
      RELEASE_TEST_PRIMARY_URL: hung.url,
    });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain("Chain and records agree");
    expect(result.stdout).to.match(
      /gas limit [\d,]+, max fee [\d.]+ gwei \(tip [\d.]+ gwei\), up to [\d.]+ ETH via #2 /,
    );
    const firstFees = result.stdout.indexOf("gas limit");
    expect(firstFees).to.be.greaterThan(-1);
    expect(firstFees).to.be.lessThan(result.stdout.indexOf("sent 0x"));
    expect([...new Set(hung.methods)].sort()).to.deep.equal(["eth_blockNumber", "eth_chainId"]);
  });

  it("executes a 2-of-3 owners Safe transaction through the hung primary, estimated with its signatures in place", async function () {
    const stack = JSON.parse(
      await readFile(path.join(node.recordsDir, "failover", "stack.json"), "utf8"),
    ) as StackRecord;
    const safeAddress = stack.safes.owners.address;
    hung.reset();
    const connection = await network.create({
      network: "localhost",
      override: { url: hung.url, fallbackUrls: [node.url], chainId: 31337, accounts: { mnemonic: MNEMONIC } },
    });
    try {
      const [executor, owner1, owner2] = (await connection.ethers.getSigners()) as Signer[];
      const safe = new Contract(safeAddress, SAFE_ABI, connection.ethers.provider);
      const nonce = (await safe.getFunction("nonce")()) as bigint;
      const safeTx = {
        to: RECIPIENT,
        value: 0n,
        data: "0x",
        operation: 0,
        safeTxGas: 0n,
        baseGas: 0n,
        gasPrice: 0n,
        gasToken: ZeroAddress,
        refundReceiver: ZeroAddress,
        nonce,
      };
      const domain = { chainId: 31337, verifyingContract: safeAddress };
      // eth_signTypedData_v4, answered by Hardhat's local-accounts handler behind our hook.
      const signed = await Promise.all(
        [owner1!, owner2!].map(async (owner) => ({
          owner: (await owner.getAddress()).toLowerCase(),
          signature: await owner.signTypedData(domain, SAFE_TX_TYPES, safeTx),
        })),
      );
      const safeTxHash = TypedDataEncoder.hash(domain, SAFE_TX_TYPES, safeTx);
      const signatures = concat(signed.sort((a, b) => (a.owner < b.owner ? -1 : 1)).map((s) => s.signature));
      const data = new Interface(SAFE_ABI).encodeFunctionData("execTransaction", [
        safeTx.to,
        safeTx.value,
        safeTx.data,
        safeTx.operation,
        safeTx.safeTxGas,
        safeTx.baseGas,
        safeTx.gasPrice,
        safeTx.gasToken,
        safeTx.refundReceiver,
        signatures,
      ]);

      const events: ReleaseEvent[] = [];
      const records = openRecords(await mkdtemp(path.join(tmpdir(), "release-safety-safe-exec-")));
      const receipt = await sendJournaled(
        {
          provider: connection.ethers.provider,
          signer: executor!,
          records,
          onEvent: (event) => events.push(event),
          now: () => new Date(0),
          fees: createFeeStrategy({
            network: "localhost",
            rpc: connection.provider,
            policy: resolveFeePolicy(undefined),
            answeredBy: () => failoverEndpoint(connection),
          }),
        },
        "safe-exec",
        { to: safeAddress, data },
      );

      expect(receipt.status).to.equal(1);
      const success = receipt.logs
        .map((log) => safe.interface.parseLog(log))
        .find((l) => l?.name === "ExecutionSuccess");
      expect(success?.args[0]).to.equal(safeTxHash);
      expect(await safe.getFunction("nonce")()).to.equal(nonce + 1n);
      const fees = events.find((e) => e.type === "tx-fees") as { estimate: TransactionCostEstimate } | undefined;
      expect(fees?.estimate.endpoint).to.equal(`#2 ${node.url}`);
      // Estimated with the final signatures in place; the buffer keeps the limit above what it used.
      const sent = await connection.ethers.provider.getTransaction(receipt.hash);
      expect(sent?.gasLimit).to.equal(fees!.estimate.gasLimit);
      expect(receipt.gasUsed < fees!.estimate.gasLimit).to.equal(true);
      expect(events.map((e) => e.type)).to.deep.equal(["tx-fees", "tx-sent"]);
      expect([...new Set(hung.methods)].sort()).to.deep.equal(["eth_blockNumber", "eth_chainId"]);
    } finally {
      await connection.close();
    }
  });
});
