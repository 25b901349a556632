// End-to-end governance with a real OpenZeppelin TimelockController (deployed as TimelockController,
// a pass-through subclass, because Hardhat 3 emits no artifact for an npm contract that is only imported).
import { expect } from "chai";
import { ZeroAddress, ZeroHash, id } from "ethers";
import { network } from "hardhat";

import { ROLLBACK_WINDOW, deployVault, implementationOf, namedSigners } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const MIN_DELAY = 3600n;
const UPGRADER_ROLE = id("UPGRADER_ROLE");

async function timelockFixture() {
  const { proposer, guardian, stranger } = await namedSigners(ethers);
  // Proposer + executor: one EOA standing in for the owners' Safe. Admin: none (self-administered).
  const timelock = await ethers.deployContract("TimelockController", [
    MIN_DELAY,
    [proposer.address],
    [proposer.address],
    ZeroAddress,
  ]);
  const timelockAddress = await timelock.getAddress();
  const deployment = await deployVault(ethers, { timelock: timelockAddress, guardian: guardian.address });
  const v2 = await ethers.deployContract("VaultV2");
  return { ...deployment, timelock, timelockAddress, v2Address: await v2.getAddress(), proposer, guardian, stranger };
}

describe("GovernedUUPS behind a real TimelockController", function () {
  it("is self-administered: only the timelock itself holds its admin role", async function () {
    const { timelock, timelockAddress, proposer } = await networkHelpers.loadFixture(timelockFixture);
    const admin = await timelock.DEFAULT_ADMIN_ROLE();
    expect(await timelock.hasRole(admin, timelockAddress)).to.equal(true);
    expect(await timelock.hasRole(admin, proposer.address)).to.equal(false);
  });

  it("gives the proposer EOA no direct power over the vault", async function () {
    const { vault, v2Address, proposer } = await networkHelpers.loadFixture(timelockFixture);
    await expect(vault.connect(proposer).upgradeToAndCall(v2Address, "0x"))
      .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
      .withArgs(proposer.address, UPGRADER_ROLE);
  });

  it("refuses to execute a scheduled upgrade before minDelay", async function () {
    const { vault, timelock, proxyAddress, v2Address, proposer } = await networkHelpers.loadFixture(timelockFixture);
    const data = vault.interface.encodeFunctionData("upgradeToAndCall", [v2Address, "0x"]);
    const salt = id("early");
    await timelock.connect(proposer).schedule(proxyAddress, 0n, data, ZeroHash, salt, MIN_DELAY);
    await expect(
      timelock.connect(proposer).execute(proxyAddress, 0n, data, ZeroHash, salt),
    ).to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState");
  });

  it("executes a scheduled plain upgrade after minDelay and records the rollback target", async function () {
    const { vault, timelock, proxyAddress, v1Address, v2Address, proposer, guardian } =
      await networkHelpers.loadFixture(timelockFixture);
    const data = vault.interface.encodeFunctionData("upgradeToAndCall", [v2Address, "0x"]);
    const salt = id("upgrade-v2");
    await timelock.connect(proposer).schedule(proxyAddress, 0n, data, ZeroHash, salt, MIN_DELAY);
    await networkHelpers.time.increase(MIN_DELAY);

    const tx = timelock.connect(proposer).execute(proxyAddress, 0n, data, ZeroHash, salt);
    await expect(tx).to.emit(vault, "Upgraded").withArgs(v2Address);
    const deadline = BigInt(await networkHelpers.time.latest()) + ROLLBACK_WINDOW;
    await expect(tx).to.emit(vault, "RollbackTargetSet").withArgs(v1Address, deadline);
    expect(await implementationOf(ethers, proxyAddress)).to.equal(v2Address);
    expect(await vault.rollbackTarget()).to.deep.equal([v1Address, deadline]);

    // ...and the guardian can undo it instantly, without waiting for the timelock.
    await expect(vault.connect(guardian).upgradeToAndCall(v1Address, "0x"))
      .to.emit(vault, "RolledBack")
      .withArgs(v2Address, v1Address, guardian.address);
    expect(await implementationOf(ethers, proxyAddress)).to.equal(v1Address);
  });

  it("executes a security-fix upgrade batched with clearRollbackTarget, leaving nothing to roll back to", async function () {
    const { vault, timelock, proxyAddress, v1Address, v2Address, proposer, guardian } =
      await networkHelpers.loadFixture(timelockFixture);
    const clear = vault.interface.encodeFunctionData("clearRollbackTarget");
    const data = vault.interface.encodeFunctionData("upgradeToAndCall", [v2Address, clear]);
    const salt = id("security-fix");
    await timelock.connect(proposer).schedule(proxyAddress, 0n, data, ZeroHash, salt, MIN_DELAY);
    await networkHelpers.time.increase(MIN_DELAY);

    const tx = timelock.connect(proposer).execute(proxyAddress, 0n, data, ZeroHash, salt);
    await expect(tx).to.emit(vault, "Upgraded").withArgs(v2Address);
    await expect(tx).to.emit(vault, "RollbackTargetCleared").withArgs(v1Address);
    expect(await vault.rollbackTarget()).to.deep.equal([ZeroAddress, 0n]);

    await expect(vault.connect(guardian).upgradeToAndCall(v1Address, "0x")).to.be.revertedWithCustomError(
      vault,
      "NoRollbackTarget",
    );
    expect(await implementationOf(ethers, proxyAddress)).to.equal(v2Address);
  });

  it("unpauses only through a scheduled timelock operation after the guardian paused", async function () {
    const { vault, timelock, proxyAddress, proposer, guardian } = await networkHelpers.loadFixture(timelockFixture);
    await vault.connect(guardian).pause();
    const data = vault.interface.encodeFunctionData("unpause");
    const salt = id("unpause");
    await timelock.connect(proposer).schedule(proxyAddress, 0n, data, ZeroHash, salt, MIN_DELAY);
    await networkHelpers.time.increase(MIN_DELAY);
    await expect(timelock.connect(proposer).execute(proxyAddress, 0n, data, ZeroHash, salt))
      .to.emit(vault, "Unpaused")
      .withArgs(await timelock.getAddress());
    expect(await vault.paused()).to.equal(false);
  });

  it("refuses scheduling by a stranger", async function () {
    const { vault, timelock, proxyAddress, v2Address, stranger } = await networkHelpers.loadFixture(timelockFixture);
    const data = vault.interface.encodeFunctionData("upgradeToAndCall", [v2Address, "0x"]);
    await expect(timelock.connect(stranger).schedule(proxyAddress, 0n, data, ZeroHash, ZeroHash, MIN_DELAY))
      .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
      .withArgs(stranger.address, await timelock.PROPOSER_ROLE());
  });
});
