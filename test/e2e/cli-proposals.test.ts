import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { Contract, JsonRpcProvider } from "ethers";

import type { StackStatus } from "../../src/core/governance/inspect-stack.js";
import type { ProposalRecord } from "../../src/core/proposals/proposal-record.js";
import { loadSafeArtifact } from "../../src/core/safe/safe-artifacts.js";
import { safeTxArguments } from "../../src/core/safe/safe-tx.js";
import { startLoopbackNode, type CliResult, type LoopbackNode } from "../helpers/loopback.js";
import { GUARDIAN_1, OWNER_1, OWNER_2 } from "../helpers/proposals.js";

/**
 * The "done when": on a hardhat node, the CLI alone takes an upgrade, a pause, an instant
 * rollback, a timelock rollback and an unpause from proposal to executed state, and refuses an
 * edited proposal file. Time passes through evm_increaseTime, as it would on a real chain.
 */
describe("the proposal lifecycle through the CLI against a hardhat node", function () {
  this.timeout(300_000);
  let node: LoopbackNode;
  const net = ["--network", "loopback"];

  async function ok(args: string[]): Promise<CliResult> {
    const result = await node.cli([...args, ...net]);
    expect(result.code, `${args.join(" ")}\n${result.stdout}\n${result.stderr}`).to.equal(0);
    return result;
  }

  async function propose(args: string[]): Promise<ProposalRecord> {
    return JSON.parse((await ok(["release", "propose", ...args, "--json"])).stdout) as ProposalRecord;
  }

  async function signAndExecute(id: string, signers: string[]): Promise<void> {
    for (const signer of signers) await ok(["release", "sign", id, "--signer", signer]);
    await ok(["release", "execute", id]);
  }

  async function passTime(seconds: number): Promise<void> {
    await node.rpc("evm_increaseTime", [seconds]);
    await node.rpc("evm_mine", []);
  }

  /** Both phases of a timelock proposal: schedule, wait out the delay, execute. */
  async function throughTimelock(id: string): Promise<void> {
    await signAndExecute(id, [OWNER_1, OWNER_2]);
    await passTime(3601);
    await signAndExecute(id, [OWNER_1, OWNER_2]);
  }

  async function status(): Promise<StackStatus> {
    return JSON.parse((await ok(["release", "status", "--json"])).stdout) as StackStatus;
  }

  before(async function () {
    node = await startLoopbackNode();
    await ok(["release", "deploy"]);
  });
  after(async function () {
    await node.stop();
  });

  it("upgrades through the timelock, with hashes equal to the Safe contract's own", async function () {
    const upgrade = await propose([
      "upgrade",
      "--proxy",
      "Vault",
      "--implementation",
      "VaultV2",
      "--call",
      "initializeV2()",
    ]);
    const provider = new JsonRpcProvider(node.url);
    const safe = new Contract(upgrade.safe.address, loadSafeArtifact("safeSingletonAddress").abi as never, provider);
    const tx = upgrade.phases[0]!.safeTx!;
    const onChain = (await safe.getTransactionHash!(...safeTxArguments(tx), tx.nonce)) as string;
    expect(upgrade.phases[0]!.hashes!.safeTxHash).to.equal(onChain);
    expect(upgrade.phases[0]!.hashes!.domainHash).to.equal(await safe.domainSeparator!());
    provider.destroy();

    const early = await node.cli(["release", "execute", upgrade.id, ...net]);
    expect(early.code).to.not.equal(0);
    expect(early.stderr + early.stdout).to.contain("RS3006");
    const unsigned = await node.cli(["release", "gas", upgrade.id, ...net]);
    expect(unsigned.stderr + unsigned.stdout).to.contain("RS3006");

    // With the signatures in place, `release gas` estimates exactly the call execute will send.
    await ok(["release", "sign", upgrade.id, "--signer", OWNER_1]);
    await ok(["release", "sign", upgrade.id, "--signer", OWNER_2]);
    const gas = JSON.parse((await ok(["release", "gas", upgrade.id, "--json"])).stdout) as {
      gasEstimate: string;
      gasLimit: string;
    };
    expect(BigInt(gas.gasEstimate)).to.be.greaterThan(50_000n);
    expect(BigInt(gas.gasLimit)).to.be.greaterThan(BigInt(gas.gasEstimate));
    await ok(["release", "execute", upgrade.id]);
    await passTime(3601);
    await signAndExecute(upgrade.id, [OWNER_1, OWNER_2]);

    const vault = (await status()).proxies[0]!;
    expect(vault.contract).to.equal("VaultV2");
    expect(vault.rollbackTarget).to.not.equal(null);
  });

  it("pauses at once and rolls back instantly through the guardian Safe", async function () {
    const pause = await propose(["pause", "--proxy", "Vault"]);
    await signAndExecute(pause.id, [GUARDIAN_1]);
    expect((await status()).proxies[0]!.paused).to.equal(true);

    const rollback = await propose(["rollback", "--proxy", "Vault", "--instant"]);
    await signAndExecute(rollback.id, [GUARDIAN_1]);
    const vault = (await status()).proxies[0]!;
    expect(vault.contract).to.equal("VaultV1");
    expect(vault.rollbackTarget).to.equal(null);
  });

  it("rolls back through the timelock to an earlier implementation", async function () {
    const rollback = await propose(["rollback", "--proxy", "Vault", "--to", "VaultV2"]);
    await throughTimelock(rollback.id);
    expect((await status()).proxies[0]!.contract).to.equal("VaultV2");
  });

  let unpauseId = "";
  it("refuses a proposal file edited after signing, and sends nothing", async function () {
    const unpause = await propose(["unpause", "--proxy", "Vault"]);
    unpauseId = unpause.id;
    await ok(["release", "sign", unpause.id, "--signer", OWNER_1]);
    await ok(["release", "sign", unpause.id, "--signer", OWNER_2]);
    const file = path.join(node.recordsDir, "loopback", "proposals", `${unpause.id}.json`);
    const original = await readFile(file, "utf8");
    const edited = JSON.parse(original) as ProposalRecord;
    const data = edited.phases[0]!.safeTx!.data;
    const flipped = (Number.parseInt(data.slice(-2), 16) ^ 1).toString(16).padStart(2, "0");
    edited.phases[0]!.safeTx!.data = `${data.slice(0, -2)}${flipped}` as never;
    await writeFile(file, JSON.stringify(edited));
    const blockBefore = await node.rpc<string>("eth_blockNumber");
    const refused = await node.cli(["release", "execute", unpause.id, ...net]);
    expect(refused.code).to.not.equal(0);
    expect(refused.stderr + refused.stdout).to.contain("RS3013");
    expect(await node.rpc<string>("eth_blockNumber")).to.equal(blockBefore);
    await writeFile(file, original);
  });

  it("unpauses through the timelock", async function () {
    const proposals = await ok(["release", "status", "--json"]);
    expect((JSON.parse(proposals.stdout) as StackStatus).proxies[0]!.paused).to.equal(true);
    const id = unpauseId;
    await ok(["release", "execute", id]);
    await passTime(3601);
    await signAndExecute(id, [OWNER_1, OWNER_2]);
    const final = await status();
    expect(final.proxies[0]!.paused).to.equal(false);
    expect(final.ok, JSON.stringify(final.findings)).to.equal(true);
  });
});
