import { expect } from "chai";

import { ERRORS } from "../../../src/core/errors.js";
import { newTestChain } from "../../helpers/deploy.js";
import {
  draftInstantRollback,
  execute,
  expectCode,
  GUARDIAN_1,
  OWNERS_2_OF_3,
  sign,
  upgradeThroughTimelock,
  proposeOn,
} from "../../helpers/proposals.js";

describe("proposal lifecycle (core, in-process)", function () {
  this.timeout(60_000);

  it("upgrades through the timelock, pauses, rolls back instantly and unpauses", async function () {
    const chain = await newTestChain();
    const { stack } = await chain.deploy();
    const vault = await chain.connection.ethers.getContractAt("VaultV2", stack.proxies.Vault!.address);

    const upgrade = await proposeOn(chain, "upgrade", {
      proxy: "Vault",
      implementation: "VaultV2",
      call: "initializeV2()",
    });
    expect(upgrade.implementation!.retainedOnRollback).to.deep.equal([
      "namespace erc7201:release-safety.storage.VaultV2",
    ]);
    for (const owner of OWNERS_2_OF_3) await sign(chain, upgrade.id, owner);
    const scheduled = await execute(chain, upgrade.id);
    expect(scheduled.phase).to.equal("schedule");
    expect(scheduled.eta).to.be.a("number");

    await chain.connection.networkHelpers.time.increaseTo(scheduled.eta!);
    for (const owner of OWNERS_2_OF_3) await sign(chain, upgrade.id, owner);
    const executed = await execute(chain, upgrade.id);
    expect(executed.proposal.status).to.equal("executed");
    expect(await vault.version()).to.equal("2.0.0");
    expect((await chain.records.readStack())!.proxies.Vault!.contract).to.equal("VaultV2");

    const pause = await proposeOn(chain, "pause", { proxy: "Vault" });
    await sign(chain, pause.id, GUARDIAN_1);
    await execute(chain, pause.id);
    expect(await vault.paused()).to.equal(true);

    const rollback = await draftInstantRollback(chain);
    await sign(chain, rollback.id, GUARDIAN_1);
    await execute(chain, rollback.id);
    expect(await vault.version()).to.equal("1.0.0");
    const records = (await chain.records.readStack())!.proxies.Vault!;
    expect(records.contract).to.equal("VaultV1");
    expect(records.history.map((h) => h.reason)).to.deep.equal(["deploy", "upgrade", "rollback"]);

    const unpause = await proposeOn(chain, "unpause", { proxy: "Vault" });
    for (const owner of OWNERS_2_OF_3) await sign(chain, unpause.id, owner);
    const unpauseScheduled = await execute(chain, unpause.id);
    await chain.connection.networkHelpers.time.increaseTo(unpauseScheduled.eta!);
    for (const owner of OWNERS_2_OF_3) await sign(chain, unpause.id, owner);
    await execute(chain, unpause.id);
    expect(await vault.paused()).to.equal(false);
  });

  it("a rollback through the timelock leaves the guardian no way back to the code it removed", async function () {
    const chain = await newTestChain();
    await chain.deploy();
    await upgradeThroughTimelock(chain);
    const rollback = await proposeOn(chain, "rollback", { proxy: "Vault", to: "VaultV1" });
    expect(rollback.implementation!.clearsRollbackTarget).to.equal(true);
    for (const owner of OWNERS_2_OF_3) await sign(chain, rollback.id, owner);
    const { eta } = await execute(chain, rollback.id);
    await chain.connection.networkHelpers.time.increaseTo(eta!);
    for (const owner of OWNERS_2_OF_3) await sign(chain, rollback.id, owner);
    await execute(chain, rollback.id);
    const vault = await chain.connection.ethers.getContractAt("VaultV1", rollback.proxy!.address);
    expect(await vault.version()).to.equal("1.0.0");
    const [target] = await vault.rollbackTarget();
    expect(target).to.equal("0x0000000000000000000000000000000000000000");
    await expectCode(draftInstantRollback(chain), ERRORS.PROPOSAL.NO_ROLLBACK_TARGET);
  });

  it("pauses several proxies in one guardian transaction through MultiSendCallOnly", async function () {
    const chain = await newTestChain();
    const config = structuredClone(chain.config);
    config.proxies.Reserve = { contract: "VaultV1", initializer: "initialize", args: ["5"] };
    const { stack } = await chain.deploy({ config });
    const pause = await proposeOn(chain, "pause", { proxy: "Vault,Reserve" });
    expect(pause.phases[0]!.safeTx!.operation).to.equal(1);
    expect(pause.phases[0]!.safeTx!.to).to.equal("0x9641d764fc13c8B624c04430C7356C1C7C8102e2");
    await sign(chain, pause.id, GUARDIAN_1);
    await execute(chain, pause.id);
    for (const name of ["Vault", "Reserve"]) {
      const vault = await chain.connection.ethers.getContractAt("VaultV1", stack.proxies[name]!.address);
      expect(await vault.paused(), name).to.equal(true);
    }
  });
});
