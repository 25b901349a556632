import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { Interface } from "ethers";

import { ROLES } from "../../src/core/governance/roles.js";
import type { StackStatus } from "../../src/core/governance/inspect-stack.js";
import type { JournalEntry } from "../../src/core/records/journal.js";
import { startLoopbackNode, type LoopbackNode } from "../helpers/loopback.js";

const DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

async function journal(node: LoopbackNode): Promise<JournalEntry[]> {
  const text = await readFile(path.join(node.recordsDir, "loopback", "journal.jsonl"), "utf8");
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as JournalEntry);
}

async function deployerNonce(node: LoopbackNode): Promise<number> {
  return Number(await node.rpc<string>("eth_getTransactionCount", [DEPLOYER, "latest"]));
}

describe("the CLI against a hardhat node on 127.0.0.1", function () {
  this.timeout(120_000);

  describe("release deploy, then release status", function () {
    let node: LoopbackNode;
    before(async function () {
      node = await startLoopbackNode();
    });
    after(async function () {
      await node.stop();
    });

    it("deploys the stack and reports it", async function () {
      const deploy = await node.cli(["release", "deploy", "--network", "loopback"]);
      expect(deploy.code, deploy.stderr).to.equal(0);
      expect(deploy.stdout).to.contain("Chain and records agree");
    });

    it("prints the status as JSON for CI", async function () {
      const status = await node.cli(["release", "status", "--network", "loopback", "--json"]);
      expect(status.code, status.stderr).to.equal(0);
      const json = JSON.parse(status.stdout) as StackStatus;
      expect(json.ok).to.equal(true);
      expect(json.chainId).to.equal(31337);
      expect(json.safes.map((s) => [s.role, s.threshold, s.owners.length])).to.deep.equal([
        ["owners", 2, 3],
        ["guardian", 1, 2],
      ]);
      expect(json.timelock.minDelay).to.equal(3600);
      expect(json.proxies[0]).to.include({ name: "Vault", contract: "VaultV1", paused: false, rollbackTarget: null });
    });

    it("sends nothing on a second deploy", async function () {
      const nonce = await deployerNonce(node);
      const again = await node.cli(["release", "deploy", "--network", "loopback", "--json"]);
      expect(again.code, again.stderr).to.equal(0);
      expect((JSON.parse(again.stdout) as { transactions: number }).transactions).to.equal(0);
      expect(await deployerNonce(node)).to.equal(nonce);
    });

    it("reports drift when someone grants the deployer a role behind the records' back, and exits 1", async function () {
      const status = JSON.parse(
        (await node.cli(["release", "status", "--network", "loopback", "--json"])).stdout,
      ) as StackStatus;
      const timelock = status.timelock.address;
      await node.rpc("hardhat_impersonateAccount", [timelock]);
      await node.rpc("hardhat_setBalance", [timelock, "0xDE0B6B3A7640000"]);
      const data = new Interface(["function grantRole(bytes32,address)"]).encodeFunctionData("grantRole", [
        ROLES.UPGRADER,
        DEPLOYER,
      ]);
      await node.rpc("eth_sendTransaction", [{ from: timelock, to: status.proxies[0]!.address, data }]);

      const drifted = await node.cli(["release", "status", "--network", "loopback"]);
      expect(drifted.code).to.equal(1);
      expect(drifted.stdout).to.contain("difference(s)");
      expect(drifted.stdout).to.contain("UPGRADER");
    });

    it("refuses a network without release configuration (RS1001)", async function () {
      const result = await node.cli(["release", "deploy", "--network", "unconfigured"]);
      expect(result.code).to.not.equal(0);
      expect(result.stderr + result.stdout).to.contain("RS1001");
    });

    it("refuses a network with no account to send from (RS1008)", async function () {
      const result = await node.cli(["release", "deploy", "--network", "noaccounts"]);
      expect(result.code).to.not.equal(0);
      expect(result.stderr + result.stdout).to.contain("RS1008");
    });

    it("refuses records written for another chain (RS5001) and leaves them as they were", async function () {
      const file = path.join(node.recordsDir, "loopback", "stack.json");
      const original = await readFile(file, "utf8");
      const other = original.replace('"chainId": 31337', '"chainId": 1');
      await writeFile(file, other);
      try {
        const nonce = await deployerNonce(node);
        const result = await node.cli(["release", "deploy", "--network", "loopback"]);
        expect(result.code).to.not.equal(0);
        expect(result.stderr + result.stdout).to.contain("RS5001");
        expect(await readFile(file, "utf8")).to.equal(other);
        expect(await deployerNonce(node)).to.equal(nonce);
      } finally {
        await writeFile(file, original);
      }
    });
  });

  describe("a deploy killed half-way", function () {
    let node: LoopbackNode;
    before(async function () {
      node = await startLoopbackNode();
    });
    after(async function () {
      await node.stop();
    });

    it("is completed by a re-run, with no transaction sent twice", async function () {
      // A node that mines a block every second, as a real chain does: the deploy sends the
      // transactions that do not depend on each other together, so they share blocks. Kill -9 the
      // CLI as soon as the journal shows the 6th transaction sent: while that group is being sent or
      // awaited. (The in-process crash test stops a deploy after each single transaction.)
      await node.rpc("evm_setAutomine", [false]);
      await node.rpc("evm_setIntervalMining", [1000]);
      const child = node.spawnCli(["release", "deploy", "--network", "loopback"]);
      const journalFile = path.join(node.recordsDir, "loopback", "journal.jsonl");
      const killed = new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          readFile(journalFile, "utf8")
            .then((text) => {
              if ((text.match(/"type":"sent"/g) ?? []).length >= 6) {
                child.kill("SIGKILL");
                clearInterval(poll);
              }
            })
            .catch(() => undefined);
        }, 20);
        child.once("exit", () => {
          clearInterval(poll);
          resolve();
        });
      });
      await killed;
      expect(child.signalCode, "the deploy finished before it could be killed").to.equal("SIGKILL");
      const atKill = await journal(node);
      const sentAtKill = atKill.filter((e) => e.type === "sent").length;
      expect(atKill.filter((e) => e.type === "mined").length, "each send awaited the one before").to.be.lessThan(
        sentAtKill - 1,
      );

      // What the killed run sent is still pending: a re-run waits for it rather than send again.
      const pending = async () =>
        Number(await node.rpc<string>("eth_getTransactionCount", [DEPLOYER, "pending"])) > (await deployerNonce(node));
      while (await pending()) await new Promise((resolve) => setTimeout(resolve, 200));
      const rerun = await node.cli(["release", "deploy", "--network", "loopback"]);
      expect(rerun.code, rerun.stderr).to.equal(0);
      const status = await node.cli(["release", "status", "--network", "loopback", "--json"]);
      expect((JSON.parse(status.stdout) as StackStatus).ok).to.equal(true);

      const entries = await journal(node);
      const mined = entries.filter((e) => e.type === "mined").map((e) => e.step);
      expect(new Set(mined).size, `a step was mined twice: ${mined.join(", ")}`).to.equal(mined.length);
      const blocks = new Set(entries.flatMap((e) => (e.type === "mined" ? [e.block] : [])));
      expect(blocks.size, "transactions that could share a block did not").to.be.lessThan(mined.length);
      // On a fresh chain the deployer sends 15 transactions (funding the Safe factory's presigned
      // deployer, 9 Safe contracts, 2 Safes, the timelock, 1 implementation, 1 proxy), however
      // often the deploy is interrupted.
      expect(await deployerNonce(node)).to.equal(15);
    });
  });
});
