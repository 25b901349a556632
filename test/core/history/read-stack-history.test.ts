import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { Interface, JsonRpcProvider } from "ethers";

import { ROLES } from "../../../src/core/governance/roles.js";
import { readLogs } from "../../../src/core/history/read-logs.js";
import { readStackHistory, stackAddresses } from "../../../src/core/history/read-stack-history.js";
import type { StackRecord } from "../../../src/core/records/stack-record.js";
import { startFaultyRpc, type FaultyRpc } from "../../helpers/faulty-rpc.js";
import { startLoopbackNode, type LoopbackNode } from "../../helpers/loopback.js";
import { sendAs } from "../../helpers/outside.js";
import { STRANGER } from "../../helpers/proposals.js";

const GRANT = new Interface([
  "function grantRole(bytes32 role, address account)",
  "function revokeRole(bytes32 role, address account)",
]);

describe("readStackHistory: the stack's history from events, through an endpoint that caps log ranges", function () {
  this.timeout(180_000);
  let node: LoopbackNode;
  let capped: FaultyRpc;
  let stack: StackRecord;

  before(async function () {
    node = await startLoopbackNode();
    capped = await startFaultyRpc("logs-range-limit", { upstream: node.url, maxLogRange: 1_000 });
    const deployed = await node.cli(["release", "deploy", "--network", "loopback"]);
    expect(deployed.code, deployed.stderr).to.equal(0);
    stack = JSON.parse(await readFile(path.join(node.recordsDir, "loopback", "stack.json"), "utf8")) as StackRecord;
    // 5,000 quiet blocks, a role granted and revoked on the proxy, a role granted on the timelock.
    await node.rpc("hardhat_mine", ["0x9c4"]);
    const vault = stack.proxies.Vault!.address;
    await sendAs(node, stack.timelock.address, vault, GRANT.encodeFunctionData("grantRole", [ROLES.PAUSER, STRANGER]));
    await node.rpc("hardhat_mine", ["0x9c4"]);
    await sendAs(node, stack.timelock.address, vault, GRANT.encodeFunctionData("revokeRole", [ROLES.PAUSER, STRANGER]));
    const t = stack.timelock.address;
    await sendAs(node, t, t, GRANT.encodeFunctionData("grantRole", [ROLES.CANCELLER, STRANGER]));
  });
  after(async function () {
    await capped.close();
    await node.stop();
  });

  it("reads the same logs as one unbounded request, splitting only where the endpoint refuses", async function () {
    const direct = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const limited = new JsonRpcProvider(capped.url, undefined, { staticNetwork: true });
    try {
      const head = await direct.getBlockNumber();
      const addresses = stackAddresses(stack);
      const all = await readLogs({ provider: direct, addresses, fromBlock: 0, toBlock: head });
      expect(all.requests).to.equal(1);
      capped.reset();
      const split = await readLogs({ provider: limited, addresses, fromBlock: 0, toBlock: head });
      expect(split.logs.map((l) => `${l.blockNumber}:${l.index}`)).to.deep.equal(
        all.logs.map((l) => `${l.blockNumber}:${l.index}`),
      );
      // 10,000+ blocks at most 1,000 a request: more than ten, and no more than the halvings need.
      const answered = capped.methods.filter((m) => m === "eth_getLogs").length;
      expect(answered).to.equal(split.requests);
      expect(split.requests).to.be.greaterThan(10);
      expect(split.requests).to.be.lessThan(40);
    } finally {
      direct.destroy();
      limited.destroy();
    }
  });

  it("enumerates every role holder from the events, revocations included", async function () {
    const provider = new JsonRpcProvider(capped.url, undefined, { staticNetwork: true });
    try {
      const history = await readStackHistory({ provider, stack });
      const vault = history.roles[stack.proxies.Vault!.address]!;
      expect(vault[ROLES.PAUSER]).to.deep.equal([stack.safes.guardian.address]);
      expect(vault[ROLES.UPGRADER]).to.deep.equal([stack.timelock.address]);
      const timelock = history.roles[stack.timelock.address]!;
      expect(timelock[ROLES.CANCELLER]).to.have.members([
        stack.safes.owners.address,
        stack.safes.guardian.address,
        STRANGER,
      ]);
      expect(history.events.filter((e) => e.name === "RoleRevoked")).to.have.length(1);
      expect(history.fromBlock).to.equal(stack.deployBlock);
    } finally {
      provider.destroy();
    }
  });
});
