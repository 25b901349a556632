import { expect } from "chai";

import { ERRORS, ReleaseError } from "../../../src/core/errors.js";
import { readStackStatus } from "../../../src/core/governance/read-stack-status.js";
import { newTestChain } from "../../helpers/deploy.js";

describe("readStackStatus", function () {
  it("refuses a network without records, saying how to create them (RS7003)", async function () {
    const chain = await newTestChain();
    try {
      await readStackStatus({ ...chain.proposalContext() });
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.RECORDS.NOT_FOUND), String(error)).to.equal(true);
      expect((error as Error).message).to.contain("release deploy --network default");
    }
  });

  it("reports a proxy whose implementation changed behind the records' back", async function () {
    const chain = await newTestChain();
    const { stack } = await chain.deploy();
    // Swap the implementation slot to code the records never saw: what a compromised upgrader does.
    const rogue = await chain.connection.ethers.deployContract("VaultV2");
    const rogueAddress = await rogue.getAddress();
    const slot = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
    const value = `0x${"0".repeat(24)}${rogueAddress.slice(2).toLowerCase()}`;
    await chain.connection.provider.request({
      method: "hardhat_setStorageAt",
      params: [stack.proxies.Vault!.address, slot, value],
    });
    const status = await readStackStatus({ ...chain.proposalContext() });
    expect(status.ok).to.equal(false);
    expect(status.findings).to.deep.include({
      subject: "Vault implementation",
      expected: stack.proxies.Vault!.implementation,
      actual: rogueAddress,
      severity: "danger",
    });
  });
});

describe("readStackStatus: records edited to relabel proxies", function () {
  it("finds two proxies whose records were swapped: each address follows from its name", async function () {
    const chain = await newTestChain();
    const config = structuredClone(chain.config);
    config.proxies.Reserve = { contract: "VaultV1", initializer: "initialize", args: ["5"] };
    await chain.deploy({ config });
    const stack = (await chain.records.readStack())!;
    const [vault, reserve] = [stack.proxies.Vault!, stack.proxies.Reserve!];
    // Same code, same roles: only the name binds the address, so an upgrade "of Vault" would hit Reserve.
    stack.proxies.Vault = { ...reserve, initializerArgs: vault.initializerArgs };
    stack.proxies.Reserve = { ...vault, initializerArgs: reserve.initializerArgs };
    await chain.records.writeStack(stack);
    const status = await readStackStatus({ ...chain.proposalContext() });
    expect(status.ok).to.equal(false);
    expect(status.findings.map((f) => f.subject)).to.include.members(["Vault address", "Reserve address"]);
  });
});
