import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { Interface, Wallet } from "ethers";

import type { StackStatus } from "../../src/core/governance/inspect-stack.js";
import type { ListProposalsResult } from "../../src/core/proposals/list-proposals.js";
import type { ProposalRecord } from "../../src/core/proposals/proposal-record.js";
import type { ReviewReport } from "../../src/core/review/review-proposal.js";
import type { PullConfirmationsResult } from "../../src/core/service/pull-confirmations.js";
import type { PushProposalResult } from "../../src/core/service/push-proposal.js";
import { startLoopbackNode, type CliResult, type LoopbackNode } from "../helpers/loopback.js";
import { GUARDIAN_1, OWNER_1, OWNER_2, STRANGER } from "../helpers/proposals.js";
import { safeWalletUser, testKey, type SafeWalletUser } from "../helpers/safe-wallet.js";
import { startTransactionService, type TransactionServiceStandIn } from "../helpers/transaction-service.js";

const API_KEY = "stand-in-api-key";
const CHAIN_ID = 31337;

/**
 * Signers approve where they already work. On a hardhat node, with a stand-in Safe Transaction
 * Service that validates like the real one: an engineer proposes, signs and pushes with the CLI;
 * other owners confirm with protocol-kit and api-kit exactly as Safe{Wallet} does (no code of the
 * toolkit in their path); `pull` brings their confirmations back; `execute` runs it; the chain is
 * asserted. Then the service misbehaves, and nothing it says gets into a proposal file.
 */
describe("Safe{Wallet} and the Safe Transaction Service, through the CLI", function () {
  this.timeout(600_000);
  let node: LoopbackNode;
  let service: TransactionServiceStandIn;
  let owners: string;
  let guardian: string;
  const net = ["--network", "loopback"];

  async function run(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return node.cli([...args, ...net], env);
  }
  async function ok(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    const result = await run(args, env);
    expect(result.code, `${args.join(" ")}\n${result.stdout}\n${result.stderr}`).to.equal(0);
    return result;
  }
  async function json<T>(args: string[]): Promise<T> {
    return JSON.parse((await ok([...args, "--json"])).stdout) as T;
  }
  async function refused(args: string[], code: string, env: Record<string, string> = {}): Promise<CliResult> {
    const result = await run(args, env);
    expect(result.code, `${args.join(" ")}\n${result.stdout}\n${result.stderr}`).to.equal(1);
    expect(result.stderr).to.include(code);
    expect(result.stderr).to.include("Hint:");
    expect(result.stderr).not.to.match(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
    return result;
  }
  const proposalFile = (id: string) => path.join(node.recordsDir, "loopback", "proposals", `${id}.json`);
  const readProposal = async (id: string) => JSON.parse(await readFile(proposalFile(id), "utf8")) as ProposalRecord;
  const user = (safeAddress: string, account: number): Promise<SafeWalletUser> =>
    safeWalletUser({
      rpcUrl: node.url,
      serviceUrl: service.url,
      apiKey: API_KEY,
      safeAddress,
      chainId: CHAIN_ID,
      account,
    });
  const passTime = async (seconds: number) => {
    await node.rpc("evm_increaseTime", [seconds]);
    await node.rpc("evm_mine", []);
  };
  const currentHash = (p: ProposalRecord) => p.phases.find((phase) => phase.executed === null)!.hashes!.safeTxHash;

  /** A pause drafted, signed by GUARDIAN_1 and pushed: the guardian Safe's threshold is 1. */
  async function pushedPause(): Promise<ProposalRecord> {
    const pause = await json<ProposalRecord>(["release", "propose", "pause", "--proxy", "Vault"]);
    await ok(["release", "sign", pause.id, "--signer", GUARDIAN_1]);
    await ok(["release", "push", pause.id]);
    return pause;
  }

  before(async function () {
    // The node first (the service reads the chain), then the service, then the CLI that uses both.
    node = await startLoopbackNode();
    service = await startTransactionService(node.url, { apiKey: API_KEY });
    // The CLI finds the service through the loopback config, its key through configVariable.
    const env = { RELEASE_TEST_SAFE_SERVICE_URL: service.url, RELEASE_TEST_SAFE_API_KEY: API_KEY };
    const cli = node.cli.bind(node);
    node.cli = (args, extra = {}) => cli(args, { ...env, ...extra });
    await ok(["release", "deploy"]);
    const status = await json<StackStatus>(["release", "status"]);
    owners = status.safes.find((s) => s.role === "owners")!.address;
    guardian = status.safes.find((s) => s.role === "guardian")!.address;
  });
  after(async function () {
    await service?.stop();
    await node?.stop();
  });
  afterEach(function () {
    service.misbehave({});
  });

  it("an upgrade signed half in the CLI and half in Safe{Wallet} goes through both timelock phases", async function () {
    const upgrade = await json<ProposalRecord>([
      "release",
      "propose",
      "upgrade",
      "--proxy",
      "Vault",
      "--implementation",
      "VaultV2",
      "--call",
      "initializeV2()",
    ]);
    // Schedule phase: the engineer signs and pushes; OWNER_2 confirms in the app.
    await ok(["release", "sign", upgrade.id, "--signer", OWNER_1]);
    const pushed = await json<PushProposalResult>(["release", "push", upgrade.id]);
    expect(pushed).to.include({ created: true, queued: 1, threshold: 2 });
    expect(pushed.added).to.deep.equal([OWNER_1]);
    const hash = currentHash(upgrade);
    expect(service.transactions.get(hash)?.proposer).to.equal(OWNER_1);
    await (await user(owners, 2)).confirm(hash);

    // The queue as the CLI shows it: pushed, two confirmations there, one in the file.
    const queue = await json<ListProposalsResult>(["release", "proposals"]);
    const entry = queue.proposals.find((p) => p.id === upgrade.id)!;
    expect(entry.service).to.deep.equal({ confirmations: 2 });
    expect(entry.signatures).to.equal(1);
    expect(entry.nextAction).to.match(/^pull/);
    // Pushing again sends nothing.
    const again = await json<PushProposalResult>(["release", "push", upgrade.id]);
    expect(again).to.include({ created: false, queued: 2 });
    expect(again.added).to.deep.equal([]);

    const pulled = await json<PullConfirmationsResult>(["release", "pull", upgrade.id]);
    expect(pulled.proposals[0]!.merged.map((s) => s.signer)).to.deep.equal([OWNER_2]);
    expect(pulled.proposals[0]!.refused).to.deep.equal([]);
    await ok(["release", "execute", upgrade.id]);

    // Execute phase, after the delay: this time the app user confirms first... after the push.
    await passTime(3601);
    await ok(["release", "sign", upgrade.id, "--signer", OWNER_2]);
    await ok(["release", "push", upgrade.id]);
    const scheduled = await readProposal(upgrade.id);
    await (await user(owners, 3)).confirm(currentHash(scheduled));
    await ok(["release", "pull", "--all"]);
    await ok(["release", "execute", upgrade.id]);

    const status = await json<StackStatus>(["release", "status"]);
    expect(status.proxies[0]!.contract).to.equal("VaultV2");
    expect((await readProposal(upgrade.id)).status).to.equal("executed");
    expect(status.queue?.transactions).to.deep.equal([]); // executed: out of the queue
    expect(status.ok).to.equal(true);
  });

  it("follows an execution made in the Safe{Wallet} app", async function () {
    const pause = await pushedPause();
    await (await user(guardian, 5)).execute(currentHash(pause));
    const queue = await json<ListProposalsResult>(["release", "proposals"]);
    expect(queue.proposals.find((p) => p.id === pause.id)!.status).to.equal("executed");
    const record = await readProposal(pause.id);
    expect(record.phases[0]!.executed?.outside).to.equal(true);
    expect((await json<StackStatus>(["release", "status"])).proxies[0]!.paused).to.equal(true);
  });

  describe("a service that fails or lies merges nothing and leaves the files as they were", function () {
    let pause: ProposalRecord; // an unpause
    let unchanged: string;

    before(async function () {
      // An unpause (the Vault is paused now) the app user (OWNER_3) proposed in Safe{Wallet}: their confirmation waits in
      // the queue, the proposal file has none. Failed pulls change nothing, so all share it.
      pause = await json<ProposalRecord>(["release", "propose", "unpause", "--proxy", "Vault"]);
      // No signature in the file: the service needs a proposer's (RS8006).
      await refused(["release", "push", pause.id], "RS8006");
      const tx = pause.phases[0]!.safeTx!;
      await (await user(owners, 3)).propose({ to: tx.to, data: tx.data, nonce: tx.nonce });
      unchanged = await readFile(proposalFile(pause.id), "utf8");
    });
    afterEach(async function () {
      if (this.currentTest?.state === "passed" && !/merges|retries/.test(this.currentTest.title)) {
        expect(await readFile(proposalFile(pause.id), "utf8")).to.equal(unchanged);
      }
    });

    for (const [name, fault, code] of [
      ["answers 500", { status: 500 }, "RS8002"],
      ["is rate limited (429) on every try", { status: 429 }, "RS8002"],
      ["answers with HTML instead of JSON", { garbage: true }, "RS8004"],
      ["answers after the deadline", { delayMs: 2000 }, "RS8002"],
      ["never answers", { hang: true }, "RS8002"],
    ] as const) {
      it(`gets a coded error when the service ${name}`, async function () {
        service.misbehave(fault);
        const result = await refused(["release", "pull", pause.id], code, {
          RELEASE_TEST_SAFE_SERVICE_TIMEOUT: "600",
        });
        // A dead service leaves the CLI-only way; a lying one gets a warning not to approve it.
        expect(result.stderr).to.include(code === "RS8002" ? "release sign" : "Do not approve");
      });
    }

    it("refuses a wrong API key with a hint about it (RS8003)", async function () {
      const result = await refused(["release", "pull", pause.id], "RS8003", { RELEASE_TEST_SAFE_API_KEY: "wrong" });
      expect(result.stderr).to.include("keystore set");
    });

    it("refuses a transaction whose fields do not hash to ours (RS8004)", async function () {
      const stored = service.transactions.get(currentHash(pause))!;
      const data = stored.data;
      stored.data = new Interface(["function unpause()"]).encodeFunctionData("unpause"); // the hash stays
      try {
        await refused(["release", "pull", pause.id], "RS8004");
      } finally {
        stored.data = data;
      }
    });

    it("shows a queued transaction no proposal explains, at the proposal's nonce, as a danger", async function () {
      // An owner queues something else at the unpause's nonce in the app.
      const grant = new Interface(["function grantRole(bytes32,address)"]).encodeFunctionData("grantRole", [
        `0x${"00".repeat(32)}`,
        STRANGER,
      ]);
      const other = await (
        await user(owners, 3)
      ).propose({ to: pause.proxy!.address, data: grant, nonce: pause.phases[0]!.safeTx!.nonce });
      try {
        const status = await run(["release", "status", "--json"]);
        expect(status.code).to.equal(1);
        const parsed = JSON.parse(status.stdout) as StackStatus;
        expect(parsed.findings.map((f) => f.subject).join("\n")).to.include("Transaction Service queue");
        const review = await run(["release", "review", pause.id, "--json"]);
        expect(review.code).to.equal(1);
        const report = JSON.parse(review.stdout) as ReviewReport;
        expect(report.redFlags.map((f) => f.code)).to.include("RF-024");
        const text = await run(["release", "proposals"]);
        expect(text.code).to.equal(1);
        expect(text.stdout).to.include("DANGER").and.to.include("grantRole");
      } finally {
        service.transactions.delete(other.toLowerCase());
      }
    });

    it("retries a read the service rate-limits briefly, and merges only the valid confirmation", async function () {
      // Besides OWNER_3's, the service claims OWNER_1 confirmed, with a stranger's signature.
      const stored = service.transactions.get(currentHash(pause))!;
      const forged = Wallet.createRandom().signingKey.sign(currentHash(pause)).serialized;
      stored.confirmations.push({ owner: OWNER_1, signature: forged, signatureType: "EOA", submissionDate: "" });
      service.misbehave({ status: 429, times: 2 });
      const pulled = await json<PullConfirmationsResult>(["release", "pull", pause.id]);
      expect(pulled.proposals[0]!.merged.map((s) => s.signer)).to.deep.equal([new Wallet(testKey(3)).address]);
      expect(pulled.proposals[0]!.refused).to.have.length(1);
      expect(pulled.proposals[0]!.refused[0]!.reason).to.match(/recovers to/);
      expect(pulled.requests).to.equal(3);
    });
  });

  describe("bad input", function () {
    it("refuses push and pull on a network without a service (RS8001), naming the CLI-only way", async function () {
      const result = await refused(["release", "pull", "--all"], "RS8001", { RELEASE_TEST_SAFE_SERVICE_URL: "" });
      expect(result.stderr).to.include("--network loopback");
    });

    it("refuses an unknown proposal, a missing one, and both a proposal and --all", async function () {
      await refused(["release", "push", "999-nothing"], "RS3015");
      await refused(["release", "push"], "RS1009");
      await refused(["release", "pull"], "RS1009");
      await refused(["release", "pull", "001-upgrade-Vault", "--all"], "RS1010");
    });

    it("refuses to push or pull a proposal that already executed (RS3011)", async function () {
      await refused(["release", "push", "001-upgrade-Vault"], "RS3011");
      await refused(["release", "pull", "001-upgrade-Vault"], "RS3011");
    });

    it("says a proposal is not queued, with the push command to run (RS8005)", async function () {
      const pause = await json<ProposalRecord>(["release", "propose", "unpause", "--proxy", "Vault"]);
      const result = await refused(["release", "pull", pause.id], "RS8005");
      expect(result.stderr).to.include(`npx hardhat release push ${pause.id} --network loopback`);
    });

    it("refuses a config with a malformed service URL", async function () {
      const result = await run(["release", "status"], { RELEASE_TEST_SAFE_SERVICE_URL: "ftp://example.org/x" });
      expect(result.code).to.equal(1);
      expect(result.stderr).to.include("transactionService");
    });
  });
});
