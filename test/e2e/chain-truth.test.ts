import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { getBytes, Interface, JsonRpcProvider, Signature, ZeroHash } from "ethers";

import { ROLES } from "../../src/core/governance/roles.js";
import type { StackStatus } from "../../src/core/governance/inspect-stack.js";
import type { ListProposalsResult } from "../../src/core/proposals/list-proposals.js";
import type { ProposalRecord } from "../../src/core/proposals/proposal-record.js";
import { encodeSchedule, timelockOperationId, TIMELOCK_ABI } from "../../src/core/proposals/timelock-operation.js";
import type { StackRecord } from "../../src/core/records/stack-record.js";
import type { ReviewReport } from "../../src/core/review/review-proposal.js";
import { hashSafeTx } from "../../src/core/safe/safe-tx.js";
import { startLoopbackNode, type CliResult, type LoopbackNode } from "../helpers/loopback.js";
import { actAs, executeOutside, SAFE_ABI, sendAs, signOutside } from "../helpers/outside.js";
import { GUARDIAN_1, OWNER_1, OWNER_2, STRANGER } from "../helpers/proposals.js";

const VAULT_ABI = new Interface([
  "function grantRole(bytes32 role, address account)",
  "function upgradeToAndCall(address newImplementation, bytes data)",
  "function initializeV2()",
]);
const SAFE = new Interface(SAFE_ABI as never);
const TIMELOCK = new Interface(TIMELOCK_ABI);

/**
 * Issue "the chain as the truth", driven through the CLI against a hardhat node: what others do on
 * chain is seen, forged files are refused with nothing sent, and the records follow executions made
 * outside the toolkit.
 */
describe("the chain as the truth (CLI against a hardhat node)", function () {
  this.timeout(600_000);
  let node: LoopbackNode;
  let stack: StackRecord;
  /** An owners' upgrade to VaultV2, drafted while a foreign operation is pending, used throughout. */
  let upgradeId = "";
  const net = ["--network", "loopback"];

  const run = (args: string[]) => node.cli([...args, ...net]);
  async function ok(args: string[]): Promise<CliResult> {
    const result = await run(args);
    expect(result.code, `${args.join(" ")}\n${result.stdout}\n${result.stderr}`).to.equal(0);
    return result;
  }
  async function refused(args: string[], code: string): Promise<CliResult> {
    const block = await node.rpc<string>("eth_blockNumber");
    const result = await run(args);
    const output = result.stdout + result.stderr;
    expect(result.code, output).to.not.equal(0);
    expect(output).to.contain(code);
    expect(output, "a stack trace was printed").to.not.match(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(await node.rpc<string>("eth_blockNumber"), "a transaction was sent").to.equal(block);
    return result;
  }
  const json = <T>(result: CliResult) => JSON.parse(result.stdout) as T;
  const status = async () => {
    const result = await run(["release", "status", "--json"]);
    return { code: result.code, status: json<StackStatus>(result) };
  };
  async function propose(args: string[]): Promise<ProposalRecord> {
    return json<ProposalRecord>(await ok(["release", "propose", ...args, "--json"]));
  }
  const file = (id: string) => path.join(node.recordsDir, "loopback", "proposals", `${id}.json`);
  const readProposal = async (id: string) => JSON.parse(await readFile(file(id), "utf8")) as ProposalRecord;
  async function passTime(seconds: number) {
    await node.rpc("evm_increaseTime", [seconds]);
    await node.rpc("evm_mine", []);
  }
  /** Runs `fn` and puts the chain back as it was (records are not touched by these changes). */
  async function onSnapshot(fn: () => Promise<void>) {
    const id = await node.rpc<string>("evm_snapshot");
    try {
      await fn();
    } finally {
      await node.rpc("evm_revert", [id]);
    }
  }
  async function expectFinding(subject: string, actual: string) {
    const { code, status: s } = await status();
    expect(code, JSON.stringify(s.findings)).to.not.equal(0);
    const finding = s.findings.find((f) => f.subject === subject);
    expect(finding, JSON.stringify(s.findings)).to.not.equal(undefined);
    expect(finding!.actual).to.contain(actual);
    expect(finding!.severity).to.equal("danger");
  }

  /**
   * Rewrites an upgrade proposal as an attacker who can edit a pull request would: the
   * implementation and the upgrade call changed, and everything derived from them (timelock
   * payload and id, Safe transaction, all three hashes) recomputed so the file holds together.
   */
  async function forgeUpgrade(id: string, implementation: string, call: string) {
    const p = await readProposal(id);
    const op = p.timelock!.operation;
    op.payloads[0] = VAULT_ABI.encodeFunctionData("upgradeToAndCall", [implementation, call]) as never;
    p.timelock!.id = timelockOperationId(op);
    p.implementation!.to = implementation as never;
    p.implementation!.call = call as never;
    const phase = p.phases[0]!;
    phase.safeTx!.data = encodeSchedule(op);
    phase.hashes = hashSafeTx(p.chainId, p.safe.address, phase.safeTx!);
    await writeFile(file(id), `${JSON.stringify(p, null, 2)}\n`);
    return p;
  }

  before(async function () {
    node = await startLoopbackNode();
    await ok(["release", "deploy"]);
    stack = JSON.parse(await readFile(path.join(node.recordsDir, "loopback", "stack.json"), "utf8")) as StackRecord;
    expect((await status()).code).to.equal(0);
  });
  after(async function () {
    await node.stop();
  });

  describe("status sees every change of power made outside the toolkit", function () {
    it("a role granted on a proxy by its admin", async function () {
      await onSnapshot(async () => {
        const vault = stack.proxies.Vault!.address;
        await sendAs(
          node,
          stack.timelock.address,
          vault,
          VAULT_ABI.encodeFunctionData("grantRole", [ROLES.UPGRADER, STRANGER]),
        );
        await expectFinding("Vault: holders of UPGRADER", STRANGER);
      });
    });

    it("a role granted on the timelock", async function () {
      await onSnapshot(async () => {
        const t = stack.timelock.address;
        await sendAs(node, t, t, VAULT_ABI.encodeFunctionData("grantRole", [ROLES.PROPOSER, STRANGER]));
        await expectFinding("timelock: holders of PROPOSER", STRANGER);
      });
    });

    it("a module enabled on the owners Safe", async function () {
      await onSnapshot(async () => {
        const safe = stack.safes.owners.address;
        await sendAs(node, safe, safe, SAFE.encodeFunctionData("enableModule", [STRANGER]));
        await expectFinding("owners Safe modules", STRANGER);
      });
    });

    it("a guard set on the guardian Safe", async function () {
      await onSnapshot(async () => {
        const artifact = JSON.parse(
          await readFile(
            "node_modules/@safe-global/safe-contracts/build/artifacts/contracts/examples/guards/DebugTransactionGuard.sol/DebugTransactionGuard.json",
            "utf8",
          ),
        ) as { bytecode: string };
        const { signer, done } = await actAs(node, STRANGER);
        const deployed = await (await signer.sendTransaction({ data: artifact.bytecode })).wait();
        done();
        const guard = deployed!.contractAddress!;
        const safe = stack.safes.guardian.address;
        await sendAs(node, safe, safe, SAFE.encodeFunctionData("setGuard", [guard]));
        await expectFinding("guardian Safe guard", guard);
      });
    });

    it("an owner added to the owners Safe", async function () {
      await onSnapshot(async () => {
        const safe = stack.safes.owners.address;
        await sendAs(node, safe, safe, SAFE.encodeFunctionData("addOwnerWithThreshold", [STRANGER, 2]));
        await expectFinding("owners Safe owners", STRANGER);
      });
    });

    it("a proxy upgraded to foreign code: a finding, never a crash", async function () {
      await onSnapshot(async () => {
        const vault = stack.proxies.Vault!.address;
        // Any contract without the governed functions: the Safe's fallback handler will do.
        const foreign = stack.safeContracts.fallbackHandlerAddress!;
        await node.rpc("hardhat_setStorageAt", [
          vault,
          "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc",
          `0x${"0".repeat(24)}${foreign.slice(2).toLowerCase()}`,
        ]);
        await expectFinding("Vault governance", foreign);
      });
    });
  });

  describe("an operation scheduled on the timelock outside the toolkit", function () {
    let operationId = "";
    it("is a danger in status, proposals and every review, decoded", async function () {
      const grant = VAULT_ABI.encodeFunctionData("grantRole", [ZeroHash, STRANGER]);
      const salt = `0x${"42".repeat(32)}`;
      const schedule = TIMELOCK.encodeFunctionData("schedule", [
        stack.proxies.Vault!.address,
        0,
        grant,
        ZeroHash,
        salt,
        3600,
      ]);
      // Two owners schedule it from the Safe app: the Safe is the timelock's proposer.
      await executeOutside(node, stack.safes.owners.address, { to: stack.timelock.address, data: schedule }, [
        OWNER_1,
        OWNER_2,
      ]);
      operationId = timelockOperationId({
        targets: [stack.proxies.Vault!.address],
        values: ["0"],
        payloads: [grant as never],
        predecessor: ZeroHash as never,
        salt: salt as never,
        delay: 3600,
      });

      const s = await status();
      expect(s.code).to.not.equal(0);
      const pending = s.status.operations.find((op) => op.id === operationId);
      expect(pending?.explainedBy).to.equal(null);
      expect(JSON.stringify(pending?.calls)).to.contain("grantRole");
      expect(s.status.findings.map((f) => f.subject)).to.include(`timelock operation ${operationId}`);

      const queue = await run(["release", "proposals"]);
      expect(queue.code).to.not.equal(0);
      expect(queue.stdout).to.contain(operationId);
      expect(queue.stdout).to.contain(`npx hardhat release propose cancel ${operationId} --network loopback`);

      // Any other proposal's review shows it, as a danger of the stack.
      const unrelated = await propose([
        "upgrade",
        "--proxy",
        "Vault",
        "--implementation",
        "VaultV2",
        "--call",
        "initializeV2()",
      ]);
      upgradeId = unrelated.id;
      const review = await run(["release", "review", unrelated.id, "--json"]);
      const report = json<ReviewReport>(review);
      expect(
        report.redFlags.some((f) => f.code === "RF-020" && f.severity === "danger" && f.message.includes(operationId)),
      ).to.equal(true);
      await refused(["release", "sign", unrelated.id, "--signer", OWNER_1], "RS3026");
    });

    it("the guardian cancels it by operation id, with the printed hint, and the stack is clean again", async function () {
      // The hint `release proposals` printed, run word for word (the harness only adds --config).
      const queue = await run(["release", "proposals"]);
      const hint = /Cancel it: npx hardhat (.*)$/m.exec(queue.stdout)![1]!.split(" ");
      const drafted = await node.cli([...hint, "--json"]);
      expect(drafted.code, drafted.stderr).to.equal(0);
      const cancel = json<ProposalRecord>(drafted);
      expect(cancel.cancels?.operationId).to.equal(operationId);
      // ...and so does the next step sign prints.
      const signed = await ok(["release", "sign", cancel.id, "--signer", GUARDIAN_1]);
      const next = /Next: npx hardhat (.*)$/m.exec(signed.stdout)![1]!.split(" ");
      expect(next).to.deep.equal(["release", "execute", cancel.id, "--network", "loopback"]);
      expect((await node.cli(next)).code).to.equal(0);
      const after = await status();
      expect(after.status.operations.map((o) => o.id)).to.not.include(operationId);
      expect(after.code, JSON.stringify(after.status.findings)).to.equal(0);
    });
  });

  describe("sign and execute refuse what review shows as dangerous, with nothing sent", function () {
    let upgrade: ProposalRecord;
    let original = "";
    before(async function () {
      upgrade = await readProposal(upgradeId);
      original = await readFile(file(upgrade.id), "utf8");
    });
    afterEach(async function () {
      await writeFile(file(upgrade.id), original);
    });

    it("a file forged consistently (hashes included) to upgrade to unreviewed code", async function () {
      // Code nobody reviewed, deployed by the attacker: the Safe's own singleton will do.
      const foreign = stack.safeContracts.safeSingletonAddress!;
      await forgeUpgrade(upgrade.id, foreign, VAULT_ABI.encodeFunctionData("initializeV2"));
      const review = json<ReviewReport>(await run(["release", "review", upgrade.id, "--json"]));
      expect(review.ok).to.equal(false);
      expect(review.redFlags.map((f) => f.code)).to.include("RF-013");
      const forged = await readFile(file(upgrade.id), "utf8");
      await refused(["release", "sign", upgrade.id, "--signer", OWNER_1], "RS3026");
      // Nor can it reach the Safe{Wallet} app through an exported batch.
      await refused(["release", "export", upgrade.id], "RS3026");
      expect(await readFile(file(upgrade.id), "utf8"), "the file changed").to.equal(forged);

      // Even with the owners' signatures over the forged hash (signed blindly in the Safe app).
      const p = await readProposal(upgrade.id);
      p.phases[0]!.signatures = await signOutside(node, p.safe.address, p.phases[0]!.safeTx!, [OWNER_1, OWNER_2]);
      await writeFile(file(upgrade.id), `${JSON.stringify(p, null, 2)}\n`);
      await refused(["release", "execute", upgrade.id], "RS3026");
    });

    it("an upgrade whose call grants a role: refused by propose, and by sign in a forged file", async function () {
      const grant = `grantRole(${ZeroHash},${STRANGER})`;
      await refused(
        ["release", "propose", "upgrade", "--proxy", "Vault", "--implementation", "VaultV2", "--call", grant],
        "RS3022",
      );
      const current = await readProposal(upgrade.id);
      await forgeUpgrade(
        upgrade.id,
        current.implementation!.to,
        VAULT_ABI.encodeFunctionData("grantRole", [ZeroHash, STRANGER]),
      );
      const review = json<ReviewReport>(await run(["release", "review", upgrade.id, "--json"]));
      const codes = review.redFlags.filter((f) => f.severity === "danger").map((f) => f.code);
      expect(codes).to.include.members(["RF-018", "RF-019"]);
      const result = await refused(["release", "sign", upgrade.id, "--signer", OWNER_1], "RS3026");
      expect(result.stderr + result.stdout).to.contain("grantRole");
    });

    it("review flags what sign refuses: another proxy address, a timelock predecessor", async function () {
      const p = await readProposal(upgrade.id);
      p.proxy!.address = stack.timelock.address;
      await writeFile(file(upgrade.id), `${JSON.stringify(p, null, 2)}\n`);
      const moved = json<ReviewReport>(await run(["release", "review", upgrade.id, "--json"]));
      expect(moved.redFlags.map((f) => f.code)).to.include("RF-017");
      await refused(["release", "sign", upgrade.id, "--signer", OWNER_1], "RS3013");

      await writeFile(file(upgrade.id), original);
      const q = await readProposal(upgrade.id);
      q.timelock!.operation.predecessor = `0x${"11".repeat(32)}` as never;
      q.timelock!.id = timelockOperationId(q.timelock!.operation);
      q.phases[0]!.safeTx!.data = encodeSchedule(q.timelock!.operation);
      q.phases[0]!.hashes = hashSafeTx(q.chainId, q.safe.address, q.phases[0]!.safeTx!);
      await writeFile(file(upgrade.id), `${JSON.stringify(q, null, 2)}\n`);
      const predecessor = json<ReviewReport>(await run(["release", "review", upgrade.id, "--json"]));
      expect(predecessor.redFlags.map((f) => f.code)).to.include("RF-017");
    });

    it("a file with a field the toolkit does not know is refused when read (RS7002)", async function () {
      const p = JSON.parse(original) as Record<string, unknown>;
      p.extra = "hidden";
      await writeFile(file(upgrade.id), JSON.stringify(p));
      await refused(["release", "review", upgrade.id], "RS7002");
      await refused(["release", "sign", upgrade.id, "--signer", OWNER_1], "RS7002");
    });
  });

  describe("records are input too: edited or planted files never hide the chain", function () {
    const proposalsDir = () => path.join(node.recordsDir, "loopback", "proposals");

    it("a planted file claiming a foreign operation's id does not explain it", async function () {
      await onSnapshot(async () => {
        const grant = VAULT_ABI.encodeFunctionData("grantRole", [ZeroHash, STRANGER]);
        const salt = `0x${"77".repeat(32)}`;
        const vault = stack.proxies.Vault!.address;
        const schedule = TIMELOCK.encodeFunctionData("schedule", [vault, 0, grant, ZeroHash, salt, 3600]);
        await executeOutside(node, stack.safes.owners.address, { to: stack.timelock.address, data: schedule }, [
          OWNER_1,
          OWNER_2,
        ]);
        const id = timelockOperationId({
          targets: [vault],
          values: ["0"],
          payloads: [grant as never],
          predecessor: ZeroHash as never,
          salt: salt as never,
          delay: 3600,
        });
        // A decoy: a real proposal file, relabelled to claim the foreign operation.
        const decoy = await readProposal(upgradeId);
        decoy.id = "900-decoy";
        decoy.timelock!.id = id;
        await writeFile(path.join(proposalsDir(), "900-decoy.json"), JSON.stringify(decoy));
        try {
          const s = await status();
          expect(s.code).to.not.equal(0);
          expect(s.status.operations.find((op) => op.id === id)?.explainedBy).to.equal(null);
        } finally {
          await rm(path.join(proposalsDir(), "900-decoy.json"));
        }
      });
    });

    it("an unreadable file is skipped with a warning and never blocks the guardian's pause", async function () {
      const junk = path.join(proposalsDir(), "901-junk.json");
      const bad = JSON.parse(await readFile(file(upgradeId), "utf8")) as ProposalRecord;
      bad.id = "901-junk";
      bad.phases[0]!.safeTx!.nonce = 1e20;
      await writeFile(junk, JSON.stringify(bad));
      try {
        const queue = await ok(["release", "proposals"]);
        expect(queue.stdout).to.contain("Skipped a proposal file that cannot be read");
        await onSnapshot(async () => {
          const pause = await propose(["pause", "--proxy", "Vault"]);
          await ok(["release", "sign", pause.id, "--signer", GUARDIAN_1]);
          await ok(["release", "execute", pause.id]);
          await rm(file(pause.id));
        });
      } finally {
        await rm(junk);
      }
    });

    it("stack.json edited to match an owner added in the Safe app still shows the change (the chain's own event)", async function () {
      const stackFile = path.join(node.recordsDir, "loopback", "stack.json");
      const text = await readFile(stackFile, "utf8");
      await onSnapshot(async () => {
        const safe = stack.safes.owners.address;
        await sendAs(node, safe, safe, SAFE.encodeFunctionData("addOwnerWithThreshold", [STRANGER, 2]));
        const edited = JSON.parse(text) as StackRecord;
        edited.safes.owners.owners = [STRANGER, ...edited.safes.owners.owners];
        await writeFile(stackFile, JSON.stringify(edited));
        try {
          const s = await status();
          expect(s.code).to.not.equal(0);
          expect(s.status.findings.map((f) => f.subject)).to.include("owners Safe " + safe + ": AddedOwner");
        } finally {
          await writeFile(stackFile, text);
        }
      });
    });

    it("a Safe whose singleton was swapped is a finding, whatever its view functions say", async function () {
      await onSnapshot(async () => {
        const safe = stack.safes.guardian.address;
        // Any contract will do as a rogue singleton: the vault's implementation.
        const rogue = stack.proxies.Vault!.implementation;
        await node.rpc("hardhat_setStorageAt", [safe, "0x0", `0x${"0".repeat(24)}${rogue.slice(2).toLowerCase()}`]);
        const s = await status();
        expect(s.code).to.not.equal(0);
        expect(s.status.findings.map((f) => f.subject)).to.include("guardian Safe singleton");
      });
    });
  });

  describe("the records follow executions made outside the toolkit", function () {
    it("an upgrade scheduled in the Safe app is shown scheduled, with the chain's ETA, and its execute phase proceeds", async function () {
      const upgrade = { id: upgradeId };
      const p = await readProposal(upgrade.id);
      const tx = p.phases[0]!.safeTx!;
      const mined = await executeOutside(node, p.safe.address, tx, [OWNER_1, OWNER_2]);

      const after = json<ListProposalsResult>(await ok(["release", "proposals", "--json"]));
      const entry = after.proposals.find((q) => q.id === upgrade.id)!;
      expect(entry.status).to.equal("scheduled");
      expect(entry.phase).to.equal("execute");
      const recorded = await readProposal(upgrade.id);
      expect(recorded.phases[0]!.executed).to.include({ txHash: mined, outside: true });
      const provider = new JsonRpcProvider(node.url);
      const timelock = new (await import("ethers")).Contract(stack.timelock.address, TIMELOCK_ABI, provider);
      expect(recorded.timelock!.eta).to.equal(Number(await timelock.getTimestamp!(recorded.timelock!.id)));
      provider.destroy();

      await passTime(3601);
      await ok(["release", "sign", upgrade.id, "--signer", OWNER_1]);
      await ok(["release", "sign", upgrade.id, "--signer", OWNER_2]);
      await ok(["release", "execute", upgrade.id]);
      const s = await status();
      expect(s.code, JSON.stringify(s.status.findings)).to.equal(0);
      expect(s.status.proxies[0]!.contract).to.equal("VaultV2");
    });

    it("a pause executed in the Safe app is recorded as executed; execute says so instead of refusing", async function () {
      const pause = await propose(["pause", "--proxy", "Vault"]);
      await executeOutside(node, pause.safe.address, pause.phases[0]!.safeTx!, [GUARDIAN_1]);
      const result = await ok(["release", "execute", pause.id]);
      expect(result.stdout).to.contain("already executed on chain");
      expect((await readProposal(pause.id)).status).to.equal("executed");
      expect((await status()).status.proxies[0]!.paused).to.equal(true);
    });
  });

  describe("rehearsal and wallet signatures", function () {
    let unpause: ProposalRecord;
    let rollback: ProposalRecord;
    before(async function () {
      unpause = await propose(["unpause", "--proxy", "Vault"]);
      rollback = await propose(["rollback", "--proxy", "Vault", "--to", "VaultV1"]);
    });

    it("accepts a wallet's eth_sign signature with v 27/28 and stores it as Safe expects (v + 4)", async function () {
      const phase = unpause.phases[0]!;
      const { safeTxHash } = hashSafeTx(unpause.chainId, unpause.safe.address, phase.safeTx!);
      const { signer, done } = await actAs(node, OWNER_1);
      const raw = await signer.signMessage(getBytes(safeTxHash));
      done();
      expect(Signature.from(raw).v).to.be.oneOf([27, 28]);
      await ok(["release", "sign", unpause.id, "--signature", raw, "--signer", OWNER_1]);
      const stored = (await readProposal(unpause.id)).phases[0]!.signatures.find((x) => x.signer === OWNER_1)!;
      expect(stored.kind).to.equal("eth_sign");
      expect(Number.parseInt(stored.data.slice(-2), 16)).to.be.oneOf([31, 32]);
    });

    it("rehearses two pending proposals of the same Safe, their phases in nonce order", async function () {
      const result = await run(["release", "rehearse", "--pending", "--json"]);
      const report = JSON.parse(result.stdout) as {
        ok: boolean;
        proposals: Array<{ id: string; ok: boolean; steps: Array<{ phase: string; realSignatures: string[] }> }>;
      };
      expect(result.code, result.stdout).to.equal(0);
      expect(report.proposals.map((p) => p.id)).to.include.members([unpause.id, rollback.id]);
      for (const p of report.proposals) expect(p.ok, JSON.stringify(p.steps)).to.equal(true);
      // The eth_sign signature verified on the fork as the Safe checks it.
      const played = report.proposals.find((p) => p.id === unpause.id)!;
      expect(played.steps[0]!.realSignatures).to.deep.equal([OWNER_1]);
    });
  });

  describe("bad input gets a coded error, no stack trace", function () {
    it("sign --signer notanaddress (RS1010)", async function () {
      const queue = json<ListProposalsResult>(await ok(["release", "proposals", "--json"]));
      const target = queue.proposals.find((p) => p.phase !== null)!;
      await refused(["release", "sign", target.id, "--signer", "notanaddress"], "RS1010");
      await refused(["release", "sign", target.id, "--signer", OWNER_1.toLowerCase().replace("0x7", "0X7")], "RS1010");
    });

    it("--acknowledge with something that is not a red flag code (RS1010)", async function () {
      const queue = json<ListProposalsResult>(await ok(["release", "proposals", "--json"]));
      const target = queue.proposals.find((p) => p.phase !== null)!;
      await refused(["release", "sign", target.id, "--signer", OWNER_2, "--acknowledge", "everything"], "RS1010");
    });

    it("a records file with a malformed address (RS7002)", async function () {
      const stackFile = path.join(node.recordsDir, "loopback", "stack.json");
      const text = await readFile(stackFile, "utf8");
      try {
        await writeFile(stackFile, text.replace(stack.safes.owners.address, stack.safes.owners.address.slice(0, -1)));
        await refused(["release", "status"], "RS7002");
      } finally {
        await writeFile(stackFile, text);
      }
    });

    it("review and proposals against a node of another chain (RS5001)", async function () {
      const other = await startLoopbackNode({ chainId: 1337 });
      try {
        const env = { RELEASE_TEST_RPC_URL: other.url, RELEASE_TEST_RECORDS_DIR: node.recordsDir };
        const queue = json<ListProposalsResult>(await ok(["release", "proposals", "--json"]));
        for (const args of [
          ["release", "proposals"],
          ["release", "review", queue.proposals[0]!.id],
          ["release", "status"],
        ]) {
          const result = await node.cli([...args, ...net], env);
          expect(result.code).to.not.equal(0);
          expect(result.stdout + result.stderr).to.contain("RS5001");
        }
      } finally {
        await other.stop();
      }
    });
  });
});
