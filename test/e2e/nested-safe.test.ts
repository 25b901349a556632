import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import type { StackStatus } from "../../src/core/governance/inspect-stack.js";
import type { ListProposalsResult } from "../../src/core/proposals/list-proposals.js";
import type { ProposalRecord } from "../../src/core/proposals/proposal-record.js";
import type { ReviewReport } from "../../src/core/review/review-proposal.js";
import type { PullConfirmationsResult } from "../../src/core/service/pull-confirmations.js";
import { startLoopbackNode, type CliResult, type LoopbackNode } from "../helpers/loopback.js";
import { GUARDIAN_1 } from "../helpers/proposals.js";
import { deploySafeOf, nestedSafeSignature, safeWalletUser } from "../helpers/safe-wallet.js";
import { startTransactionService, type TransactionServiceStandIn } from "../helpers/transaction-service.js";

const API_KEY = "stand-in-api-key";
const CHAIN_ID = 31337;

/**
 * An owner that is itself a Safe (a nested Safe) signs with an EIP-1271 contract signature, which
 * its own owner makes in Safe{Wallet}: protocol-kit and api-kit, no code of the toolkit in their
 * path. `pull` accepts it only when that Safe's isValidSignature does, and `execute` hands it to
 * the guardian Safe, which asks the nested Safe again on chain.
 */
describe("a nested Safe as an owner (EIP-1271), through Safe{Wallet} and the CLI", function () {
  this.timeout(300_000);
  let node: LoopbackNode;
  let service: TransactionServiceStandIn;
  let guardian: string;
  let nested: string;
  const NESTED_OWNER = 9; // test account #9 alone owns the nested Safe
  const cli = (args: string[]) =>
    node.cli([...args, "--network", "loopback"], {
      RELEASE_TEST_SAFE_SERVICE_URL: service.url,
      RELEASE_TEST_SAFE_API_KEY: API_KEY,
    });
  async function ok(args: string[]): Promise<CliResult> {
    const result = await cli(args);
    expect(result.code, `${args.join(" ")}\n${result.stdout}\n${result.stderr}`).to.equal(0);
    return result;
  }
  const json = async <T>(args: string[]) => JSON.parse((await ok([...args, "--json"])).stdout) as T;
  const file = (id: string) => path.join(node.recordsDir, "loopback", "proposals", `${id}.json`);

  before(async function () {
    node = await startLoopbackNode();
    service = await startTransactionService(node.url, { apiKey: API_KEY });
    await ok(["release", "deploy"]);
    guardian = (await json<StackStatus>(["release", "status"])).safes.find((s) => s.role === "guardian")!.address;
    nested = await deploySafeOf(node.url, CHAIN_ID, NESTED_OWNER);
    // The guardian Safe takes the nested Safe as a second owner and needs both from now on.
    const rotation = await json<ProposalRecord>([
      "release",
      "propose",
      "signers",
      "--safe",
      "guardian",
      "--add",
      nested,
      "--threshold",
      "2",
    ]);
    await ok(["release", "sign", rotation.id, "--signer", GUARDIAN_1, "--acknowledge", "RF-018"]);
    await ok(["release", "execute", rotation.id, "--acknowledge", "RF-018"]);
  });
  after(async function () {
    await service?.stop();
    await node?.stop();
  });

  it("pauses with one owner's signature and the nested Safe's, confirmed in the app", async function () {
    const pause = await json<ProposalRecord>(["release", "propose", "pause", "--proxy", "Vault"]);
    await ok(["release", "sign", pause.id, "--signer", GUARDIAN_1]);
    await ok(["release", "push", pause.id]);
    const safeTxHash = pause.phases[0]!.hashes!.safeTxHash;
    const app = await safeWalletUser({
      rpcUrl: node.url,
      serviceUrl: service.url,
      apiKey: API_KEY,
      safeAddress: guardian,
      chainId: CHAIN_ID,
      account: NESTED_OWNER,
      through: nested,
    });
    await app.confirm(safeTxHash);
    expect(service.transactions.get(safeTxHash)!.confirmations.map((c) => c.signatureType)).to.include(
      "CONTRACT_SIGNATURE",
    );

    const pulled = await json<PullConfirmationsResult>(["release", "pull", pause.id]);
    expect(pulled.proposals[0]!.refused).to.deep.equal([]);
    expect(pulled.proposals[0]!.merged).to.have.length(1);
    expect(pulled.proposals[0]!.merged[0]).to.include({ signer: nested, kind: "contract" });
    const report = await json<ReviewReport>(["release", "review", pause.id]);
    expect(report.signatures.every((s) => s.valid)).to.equal(true);
    // The queue counts the nested Safe's signature as execute will: the Safe is asked.
    const counted = async () =>
      (await json<ListProposalsResult>(["release", "proposals"])).proposals.find((p) => p.id === pause.id);
    expect(await counted()).to.include({ signatures: 2, threshold: 2 });

    // The nested Safe's bytes edited in the file (or its owners changed since it signed): that Safe
    // no longer accepts them, so they do not count, and nothing is sent.
    const signed = await readFile(file(pause.id), "utf8");
    const record = JSON.parse(signed) as ProposalRecord;
    const stored = record.phases[0]!.signatures.find((s) => s.kind === "contract")!;
    stored.data = `${stored.data.slice(0, -2)}${stored.data.endsWith("00") ? "01" : "00"}` as typeof stored.data;
    await writeFile(file(pause.id), JSON.stringify(record, null, 2));
    const forged = await cli(["release", "execute", pause.id]);
    expect(forged.code).to.equal(1);
    expect(forged.stderr, forged.stderr).to.include("RS3006");
    expect(forged.stderr).to.include(`not counted: ${nested}, whose Safe no longer accepts its stored signature`);
    expect(await counted()).to.include({ signatures: 1, threshold: 2 });
    await writeFile(file(pause.id), signed);

    await ok(["release", "execute", pause.id]);
    const status = await json<StackStatus>(["release", "status"]);
    expect(status.proxies[0]!.paused).to.equal(true);
    expect(status.ok, JSON.stringify(status.findings)).to.equal(true);
  });

  it("imports a contract signature with sign (RS3003 when refused, RS3002 for a non-owner) and pushes it", async function () {
    const nestedSigner = { rpcUrl: node.url, chainId: CHAIN_ID, account: NESTED_OWNER, through: nested };
    const refusedAs = async (id: string, signature: string, code: string, extra: string[] = []) => {
      const before = await readFile(file(id), "utf8");
      const result = await cli(["release", "sign", id, "--signature", signature, ...extra]);
      expect(result.code, result.stdout).to.equal(1);
      expect(result.stderr).to.include(code);
      expect(result.stderr).not.to.match(/\n\s+at .+\(.+:\d+:\d+\)/);
      expect(await readFile(file(id), "utf8")).to.equal(before);
    };
    // The owners Safe's unpause: the nested Safe signs it properly, but it is no owner there.
    const unpause = await json<ProposalRecord>(["release", "propose", "unpause", "--proxy", "Vault"]);
    const owners = unpause.safe.address;
    const notOwner = await nestedSafeSignature({ ...nestedSigner, safeAddress: owners }, unpause.phases[0]!.safeTx!);
    await refusedAs(unpause.id, notOwner, "RS3002");

    // The guardian Safe back to one signature: GUARDIAN_1 signs here, the nested Safe's signature is
    // imported, and push hands both to the service, the contract signature as the app encodes it.
    const rotation = await json<ProposalRecord>([
      "release",
      "propose",
      "signers",
      "--safe",
      "guardian",
      "--threshold",
      "1",
    ]);
    await ok(["release", "sign", rotation.id, "--signer", GUARDIAN_1, "--acknowledge", "RF-018,RF-022"]);
    // Well-formed as the nested Safe's contract signature, but bytes nobody signed.
    const offset = (65).toString(16).padStart(64, "0");
    const bogus = `0x${nested.slice(2).toLowerCase().padStart(64, "0")}${offset}00${offset}${"11".repeat(65)}`;
    await refusedAs(rotation.id, bogus, "RS3003", ["--acknowledge", "RF-018,RF-022"]);
    const signature = await nestedSafeSignature(
      { ...nestedSigner, safeAddress: guardian },
      rotation.phases[0]!.safeTx!,
    );
    await ok(["release", "sign", rotation.id, "--signature", signature, "--acknowledge", "RF-018,RF-022"]);
    // With the nested Safe's bytes spoiled in the file, push offers only what counts: the service
    // gets GUARDIAN_1's signature, not bytes it would refuse. Put right, a second push adds it.
    const signed = await readFile(file(rotation.id), "utf8");
    const spoiled = JSON.parse(signed) as ProposalRecord;
    const stored = spoiled.phases[0]!.signatures.find((s) => s.kind === "contract")!;
    stored.data = `${stored.data.slice(0, -2)}${stored.data.endsWith("00") ? "01" : "00"}` as typeof stored.data;
    await writeFile(file(rotation.id), JSON.stringify(spoiled, null, 2));
    await ok(["release", "push", rotation.id]);
    const safeTxHash = rotation.phases[0]!.hashes!.safeTxHash;
    expect(service.transactions.get(safeTxHash)!.confirmations.map((c) => c.signatureType)).to.deep.equal(["EOA"]);
    await writeFile(file(rotation.id), signed);
    await ok(["release", "push", rotation.id]);
    const queued = service.transactions.get(safeTxHash)!;
    expect(queued.confirmations.map((c) => c.signatureType).sort()).to.deep.equal(["CONTRACT_SIGNATURE", "EOA"]);
    await ok(["release", "execute", rotation.id, "--acknowledge", "RF-018,RF-022"]);
    const status = await json<StackStatus>(["release", "status"]);
    expect(status.safes.find((s) => s.role === "guardian")!.threshold).to.equal(1);
  });
});
