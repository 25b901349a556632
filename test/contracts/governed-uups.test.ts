import { expect } from "chai";
import { ZeroAddress, ZeroHash, id } from "ethers";
import { network } from "hardhat";

import {
  DAY,
  MAX_ROLLBACK_WINDOW,
  ROLLBACK_WINDOW,
  deployVault,
  erc7201Slot,
  implementationOf,
  namedSigners,
  slotHex,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const UPGRADER_ROLE = id("UPGRADER_ROLE");
const PAUSER_ROLE = id("PAUSER_ROLE");
const GUARDIAN_ROLE = id("GUARDIAN_ROLE");
const DEFAULT_ADMIN_ROLE = ZeroHash;

async function deployFixture() {
  const { deployer, timelock, guardian, alice, stranger, pauserOnly } = await namedSigners(ethers);
  const deployment = await deployVault(ethers, {
    timelock: timelock.address,
    guardian: guardian.address,
    rollbackWindow: ROLLBACK_WINDOW,
  });
  const v2 = await ethers.deployContract("VaultV2");
  return { ...deployment, v2Address: await v2.getAddress(), deployer, timelock, guardian, alice, stranger, pauserOnly };
}

/** Timelock (EOA stand-in) has upgraded V1 -> V2: V1 is the rollback target. */
async function upgradedFixture() {
  const f = await deployFixture();
  const tx = await f.vault.connect(f.timelock).upgradeToAndCall(f.v2Address, "0x");
  const receipt = await tx.wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  const deadline = BigInt(block!.timestamp) + ROLLBACK_WINDOW;
  return { ...f, deadline };
}

/** Like deployFixture, but with a rollback window of 0 (rollbacks disabled). */
async function zeroWindowFixture() {
  const { timelock, guardian } = await namedSigners(ethers);
  const deployment = await deployVault(ethers, {
    timelock: timelock.address,
    guardian: guardian.address,
    rollbackWindow: 0n,
  });
  const v2 = await ethers.deployContract("VaultV2");
  return { ...deployment, v2Address: await v2.getAddress(), timelock, guardian };
}

describe("GovernedUUPS", function () {
  describe("initialization", function () {
    it("grants DEFAULT_ADMIN_ROLE and UPGRADER_ROLE to the timelock only", async function () {
      const { vault, timelock, guardian, deployer } = await networkHelpers.loadFixture(deployFixture);
      for (const role of [DEFAULT_ADMIN_ROLE, UPGRADER_ROLE]) {
        expect(await vault.hasRole(role, timelock.address)).to.equal(true);
        expect(await vault.hasRole(role, guardian.address)).to.equal(false);
        expect(await vault.hasRole(role, deployer.address)).to.equal(false);
      }
    });

    it("grants PAUSER_ROLE and GUARDIAN_ROLE to the guardian only", async function () {
      const { vault, timelock, guardian, deployer } = await networkHelpers.loadFixture(deployFixture);
      for (const role of [PAUSER_ROLE, GUARDIAN_ROLE]) {
        expect(await vault.hasRole(role, guardian.address)).to.equal(true);
        expect(await vault.hasRole(role, timelock.address)).to.equal(false);
        expect(await vault.hasRole(role, deployer.address)).to.equal(false);
      }
    });

    it("exposes the role and window constants", async function () {
      const { vault } = await networkHelpers.loadFixture(deployFixture);
      expect(await vault.UPGRADER_ROLE()).to.equal(UPGRADER_ROLE);
      expect(await vault.PAUSER_ROLE()).to.equal(PAUSER_ROLE);
      expect(await vault.GUARDIAN_ROLE()).to.equal(GUARDIAN_ROLE);
      expect(await vault.MAX_ROLLBACK_WINDOW()).to.equal(MAX_ROLLBACK_WINDOW);
    });

    it("stores the rollback window, no rollback target, and starts unpaused", async function () {
      const { vault } = await networkHelpers.loadFixture(deployFixture);
      expect(await vault.rollbackWindow()).to.equal(ROLLBACK_WINDOW);
      expect(await vault.rollbackTarget()).to.deep.equal([ZeroAddress, 0n]);
      expect(await vault.paused()).to.equal(false);
    });

    it("emits RollbackWindowChanged(0, window) when the proxy is initialized", async function () {
      const { timelock, guardian } = await namedSigners(ethers);
      const impl = await ethers.deployContract("VaultV1");
      const data = impl.interface.encodeFunctionData("initialize", [timelock.address, guardian.address, DAY, 0n]);
      const proxy = await ethers.deployContract("ERC1967Proxy", [await impl.getAddress(), data]);
      const vault = await ethers.getContractAt("VaultV1", await proxy.getAddress());
      await expect(proxy.deploymentTransaction()).to.emit(vault, "RollbackWindowChanged").withArgs(0n, DAY);
    });

    it("locks initialize on the implementation (InvalidInitialization)", async function () {
      const { v1Address, timelock, guardian } = await networkHelpers.loadFixture(deployFixture);
      const impl = await ethers.getContractAt("VaultV1", v1Address);
      await expect(
        impl.initialize(timelock.address, guardian.address, ROLLBACK_WINDOW, 0n),
      ).to.be.revertedWithCustomError(impl, "InvalidInitialization");
    });

    it("refuses a second initialize on the proxy (InvalidInitialization)", async function () {
      const { vault, stranger } = await networkHelpers.loadFixture(deployFixture);
      await expect(
        vault.connect(stranger).initialize(stranger.address, stranger.address, ROLLBACK_WINDOW, 0n),
      ).to.be.revertedWithCustomError(vault, "InvalidInitialization");
    });

    it("refuses a zero timelock (ZeroAddress)", async function () {
      const { guardian } = await namedSigners(ethers);
      const impl = await ethers.deployContract("VaultV1");
      const data = impl.interface.encodeFunctionData("initialize", [ZeroAddress, guardian.address, DAY, 0n]);
      await expect(
        ethers.deployContract("ERC1967Proxy", [await impl.getAddress(), data]),
      ).to.be.revertedWithCustomError(impl, "ZeroAddress");
    });

    it("refuses a zero guardian (ZeroAddress)", async function () {
      const { timelock } = await namedSigners(ethers);
      const impl = await ethers.deployContract("VaultV1");
      const data = impl.interface.encodeFunctionData("initialize", [timelock.address, ZeroAddress, DAY, 0n]);
      await expect(
        ethers.deployContract("ERC1967Proxy", [await impl.getAddress(), data]),
      ).to.be.revertedWithCustomError(impl, "ZeroAddress");
    });

    it("refuses a rollback window above MAX_ROLLBACK_WINDOW (RollbackWindowTooLong)", async function () {
      const { timelock, guardian } = await namedSigners(ethers);
      const impl = await ethers.deployContract("VaultV1");
      const tooLong = MAX_ROLLBACK_WINDOW + 1n;
      const data = impl.interface.encodeFunctionData("initialize", [timelock.address, guardian.address, tooLong, 0n]);
      await expect(ethers.deployContract("ERC1967Proxy", [await impl.getAddress(), data]))
        .to.be.revertedWithCustomError(impl, "RollbackWindowTooLong")
        .withArgs(tooLong, MAX_ROLLBACK_WINDOW);
    });

    it("accepts a rollback window of exactly MAX_ROLLBACK_WINDOW", async function () {
      const { timelock, guardian } = await namedSigners(ethers);
      const { vault } = await deployVault(ethers, {
        timelock: timelock.address,
        guardian: guardian.address,
        rollbackWindow: MAX_ROLLBACK_WINDOW,
      });
      expect(await vault.rollbackWindow()).to.equal(MAX_ROLLBACK_WINDOW);
    });

    it("refuses upgradeToAndCall called on the implementation itself (UUPSUnauthorizedCallContext)", async function () {
      const { v1Address, v2Address, timelock } = await networkHelpers.loadFixture(deployFixture);
      const impl = await ethers.getContractAt("VaultV1", v1Address);
      await expect(impl.connect(timelock).upgradeToAndCall(v2Address, "0x")).to.be.revertedWithCustomError(
        impl,
        "UUPSUnauthorizedCallContext",
      );
    });
  });

  describe("ERC-7201 namespaced storage", function () {
    it("the TS formula reproduces OpenZeppelin's Pausable slot (paused flag readable there)", async function () {
      const { vault, proxyAddress, guardian } = await networkHelpers.loadFixture(deployFixture);
      const slot = erc7201Slot("openzeppelin.storage.Pausable");
      expect(slotHex(slot)).to.equal("0xcd5ed15c6e187e77e9aee88184c21f4f2182ab5827cb3b7e07fbedcd63f03300");
      await vault.connect(guardian).pause();
      expect(BigInt(await ethers.provider.getStorage(proxyAddress, slotHex(slot)))).to.equal(1n);
    });

    it("GovernedUUPSStorage lives at the ERC-7201 slot: window in slot+1", async function () {
      const { proxyAddress } = await networkHelpers.loadFixture(deployFixture);
      const base = erc7201Slot("release-safety.storage.GovernedUUPS");
      expect(slotHex(base)).to.equal("0xb8efef3f6876953e5a9514f7126bc61679299b240d2ab77dc62ec6828319eb00");
      expect(BigInt(await ethers.provider.getStorage(proxyAddress, slotHex(base)))).to.equal(0n);
      expect(BigInt(await ethers.provider.getStorage(proxyAddress, slotHex(base + 1n)))).to.equal(ROLLBACK_WINDOW);
    });

    it("GovernedUUPSStorage packs target and deadline in the base slot", async function () {
      const { proxyAddress, v1Address, deadline } = await networkHelpers.loadFixture(upgradedFixture);
      const base = erc7201Slot("release-safety.storage.GovernedUUPS");
      const word = BigInt(await ethers.provider.getStorage(proxyAddress, slotHex(base)));
      expect(word).to.equal((deadline << 160n) | BigInt(v1Address));
    });
  });

  describe("pause / unpause", function () {
    it("lets the guardian (PAUSER_ROLE) pause", async function () {
      const { vault, guardian } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(guardian).pause()).to.emit(vault, "Paused").withArgs(guardian.address);
      expect(await vault.paused()).to.equal(true);
    });

    it("lets the timelock (UPGRADER_ROLE) unpause", async function () {
      const { vault, guardian, timelock } = await networkHelpers.loadFixture(deployFixture);
      await vault.connect(guardian).pause();
      await expect(vault.connect(timelock).unpause()).to.emit(vault, "Unpaused").withArgs(timelock.address);
      expect(await vault.paused()).to.equal(false);
    });

    it("refuses pause from a stranger", async function () {
      const { vault, stranger } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(stranger).pause())
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, PAUSER_ROLE);
    });

    it("refuses pause from the timelock (PAUSER_ROLE is the guardian's)", async function () {
      const { vault, timelock } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(timelock).pause())
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(timelock.address, PAUSER_ROLE);
    });

    it("refuses unpause from the guardian", async function () {
      const { vault, guardian } = await networkHelpers.loadFixture(deployFixture);
      await vault.connect(guardian).pause();
      await expect(vault.connect(guardian).unpause())
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, UPGRADER_ROLE);
    });

    it("refuses unpause from an account holding only PAUSER_ROLE", async function () {
      const { vault, guardian, timelock, pauserOnly } = await networkHelpers.loadFixture(deployFixture);
      await vault.connect(timelock).grantRole(PAUSER_ROLE, pauserOnly.address);
      await vault.connect(guardian).pause();
      await expect(vault.connect(pauserOnly).unpause())
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(pauserOnly.address, UPGRADER_ROLE);
    });

    it("refuses unpause from a stranger", async function () {
      const { vault, guardian, stranger } = await networkHelpers.loadFixture(deployFixture);
      await vault.connect(guardian).pause();
      await expect(vault.connect(stranger).unpause())
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, UPGRADER_ROLE);
    });

    it("refuses pause while already paused (EnforcedPause)", async function () {
      const { vault, guardian } = await networkHelpers.loadFixture(deployFixture);
      await vault.connect(guardian).pause();
      await expect(vault.connect(guardian).pause()).to.be.revertedWithCustomError(vault, "EnforcedPause");
    });

    it("refuses unpause while not paused (ExpectedPause)", async function () {
      const { vault, timelock } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(timelock).unpause()).to.be.revertedWithCustomError(vault, "ExpectedPause");
    });
  });

  describe("role administration", function () {
    it("lets the timelock (DEFAULT_ADMIN_ROLE) grant a role", async function () {
      const { vault, timelock, pauserOnly } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(timelock).grantRole(PAUSER_ROLE, pauserOnly.address))
        .to.emit(vault, "RoleGranted")
        .withArgs(PAUSER_ROLE, pauserOnly.address, timelock.address);
    });

    it("refuses the guardian granting itself UPGRADER_ROLE", async function () {
      const { vault, guardian } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(guardian).grantRole(UPGRADER_ROLE, guardian.address))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, DEFAULT_ADMIN_ROLE);
    });

    it("refuses a stranger granting itself GUARDIAN_ROLE", async function () {
      const { vault, stranger } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(stranger).grantRole(GUARDIAN_ROLE, stranger.address))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, DEFAULT_ADMIN_ROLE);
    });
  });

  describe("forward upgrade (UPGRADER_ROLE)", function () {
    it("switches the implementation and records the outgoing one as rollback target", async function () {
      const { vault, proxyAddress, v1Address, v2Address, timelock } = await networkHelpers.loadFixture(deployFixture);
      const tx = vault.connect(timelock).upgradeToAndCall(v2Address, "0x");
      await expect(tx).to.emit(vault, "Upgraded").withArgs(v2Address);
      const block = await ethers.provider.getBlock("latest");
      const deadline = BigInt(block!.timestamp) + ROLLBACK_WINDOW;
      await expect(tx).to.emit(vault, "RollbackTargetSet").withArgs(v1Address, deadline);
      expect(await implementationOf(ethers, proxyAddress)).to.equal(v2Address);
      expect(await vault.rollbackTarget()).to.deep.equal([v1Address, deadline]);
    });

    it("replaces the target with the newly outgoing implementation on the next upgrade", async function () {
      const { vault, v2Address, timelock } = await networkHelpers.loadFixture(upgradedFixture);
      const v2b = await ethers.deployContract("VaultV2");
      await expect(vault.connect(timelock).upgradeToAndCall(await v2b.getAddress(), "0x"))
        .to.emit(vault, "RollbackTargetSet")
        .withArgs(v2Address, (deadline: bigint) => deadline > 0n);
      const [target] = await vault.rollbackTarget();
      expect(target).to.equal(v2Address);
    });

    it("runs the setup call when the timelock passes call data", async function () {
      const { vault, v2Address, timelock } = await networkHelpers.loadFixture(deployFixture);
      const v2 = await ethers.getContractAt("VaultV2", v2Address);
      const data = v2.interface.encodeFunctionData("initializeV2");
      await expect(vault.connect(timelock).upgradeToAndCall(v2Address, data))
        .to.emit(vault, "Initialized")
        .withArgs(2n);
    });

    it("treats a timelock upgrade back to V1 as a forward upgrade (records V2 as target)", async function () {
      const { vault, v1Address, v2Address, timelock } = await networkHelpers.loadFixture(upgradedFixture);
      await expect(vault.connect(timelock).upgradeToAndCall(v1Address, "0x"))
        .to.emit(vault, "RollbackTargetSet")
        .withArgs(v2Address, (deadline: bigint) => deadline > 0n);
    });

    it("still works while paused", async function () {
      const { vault, proxyAddress, v2Address, timelock, guardian } = await networkHelpers.loadFixture(deployFixture);
      await vault.connect(guardian).pause();
      await expect(vault.connect(timelock).upgradeToAndCall(v2Address, "0x")).to.emit(vault, "Upgraded");
      expect(await implementationOf(ethers, proxyAddress)).to.equal(v2Address);
      expect(await vault.paused()).to.equal(true);
    });

    it("refuses an upgrade from a stranger", async function () {
      const { vault, v2Address, stranger } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(stranger).upgradeToAndCall(v2Address, "0x"))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, UPGRADER_ROLE);
    });

    it("refuses an upgrade with call data from a stranger with the access-control error", async function () {
      const { vault, v2Address, stranger } = await networkHelpers.loadFixture(deployFixture);
      const data = vault.interface.encodeFunctionData("clearRollbackTarget");
      await expect(vault.connect(stranger).upgradeToAndCall(v2Address, data))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, UPGRADER_ROLE);
    });

    it("refuses an upgrade from an account holding only PAUSER_ROLE", async function () {
      const { vault, v2Address, timelock, pauserOnly } = await networkHelpers.loadFixture(deployFixture);
      await vault.connect(timelock).grantRole(PAUSER_ROLE, pauserOnly.address);
      await expect(vault.connect(pauserOnly).upgradeToAndCall(v2Address, "0x"))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(pauserOnly.address, UPGRADER_ROLE);
    });

    it("refuses a guardian 'upgrade' to new code (only the recorded target is allowed)", async function () {
      const { vault, v2Address, guardian } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(guardian).upgradeToAndCall(v2Address, "0x")).to.be.revertedWithCustomError(
        vault,
        "NoRollbackTarget",
      );
    });
  });

  describe("rollback window 0", function () {
    it("records no rollback target on a forward upgrade", async function () {
      const { vault, v2Address, timelock } = await networkHelpers.loadFixture(zeroWindowFixture);
      await expect(vault.connect(timelock).upgradeToAndCall(v2Address, "0x"))
        .to.emit(vault, "Upgraded")
        .and.not.to.emit(vault, "RollbackTargetSet");
      expect(await vault.rollbackTarget()).to.deep.equal([ZeroAddress, 0n]);
    });

    it("emits no RollbackTargetCleared when there was no target", async function () {
      const { vault, v2Address, timelock } = await networkHelpers.loadFixture(zeroWindowFixture);
      await expect(vault.connect(timelock).upgradeToAndCall(v2Address, "0x")).not.to.emit(
        vault,
        "RollbackTargetCleared",
      );
    });

    it("leaves the guardian nothing to roll back to (NoRollbackTarget)", async function () {
      const { vault, v1Address, v2Address, timelock, guardian } = await networkHelpers.loadFixture(zeroWindowFixture);
      await vault.connect(timelock).upgradeToAndCall(v2Address, "0x");
      await expect(vault.connect(guardian).upgradeToAndCall(v1Address, "0x")).to.be.revertedWithCustomError(
        vault,
        "NoRollbackTarget",
      );
    });

    it("drops an existing target on the next forward upgrade", async function () {
      const { vault, v1Address, timelock } = await networkHelpers.loadFixture(upgradedFixture);
      await vault.connect(timelock).setRollbackWindow(0n);
      const v2b = await ethers.deployContract("VaultV2");
      await expect(vault.connect(timelock).upgradeToAndCall(await v2b.getAddress(), "0x"))
        .to.emit(vault, "RollbackTargetCleared")
        .withArgs(v1Address)
        .and.not.to.emit(vault, "RollbackTargetSet");
      expect(await vault.rollbackTarget()).to.deep.equal([ZeroAddress, 0n]);
    });
  });

  describe("guardian rollback (GUARDIAN_ROLE)", function () {
    it("rolls back to the recorded target inside the window", async function () {
      const { vault, proxyAddress, v1Address, v2Address, guardian } = await networkHelpers.loadFixture(upgradedFixture);
      const tx = vault.connect(guardian).upgradeToAndCall(v1Address, "0x");
      await expect(tx).to.emit(vault, "RolledBack").withArgs(v2Address, v1Address, guardian.address);
      await expect(tx).to.emit(vault, "RollbackTargetCleared").withArgs(v1Address);
      await expect(tx).to.emit(vault, "Upgraded").withArgs(v1Address);
      expect(await implementationOf(ethers, proxyAddress)).to.equal(v1Address);
      expect(await vault.rollbackTarget()).to.deep.equal([ZeroAddress, 0n]);
      expect(await vault.version()).to.equal("1.0.0");
    });

    it("still works exactly at the deadline (inclusive)", async function () {
      const { vault, proxyAddress, v1Address, guardian, deadline } = await networkHelpers.loadFixture(upgradedFixture);
      await networkHelpers.time.setNextBlockTimestamp(deadline);
      await expect(vault.connect(guardian).upgradeToAndCall(v1Address, "0x")).to.emit(vault, "RolledBack");
      expect(await implementationOf(ethers, proxyAddress)).to.equal(v1Address);
    });

    it("still works while paused, and the proxy stays paused", async function () {
      const { vault, proxyAddress, v1Address, guardian } = await networkHelpers.loadFixture(upgradedFixture);
      await vault.connect(guardian).pause();
      await expect(vault.connect(guardian).upgradeToAndCall(v1Address, "0x")).to.emit(vault, "RolledBack");
      expect(await implementationOf(ethers, proxyAddress)).to.equal(v1Address);
      expect(await vault.paused()).to.equal(true);
    });

    it("refuses a rollback when no target is recorded (NoRollbackTarget)", async function () {
      const { vault, v1Address, guardian } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(guardian).upgradeToAndCall(v1Address, "0x")).to.be.revertedWithCustomError(
        vault,
        "NoRollbackTarget",
      );
    });

    it("refuses a rollback to another implementation (RollbackTargetMismatch)", async function () {
      const { vault, v1Address, guardian } = await networkHelpers.loadFixture(upgradedFixture);
      const other = await ethers.deployContract("VaultV1");
      const otherAddress = await other.getAddress();
      await expect(vault.connect(guardian).upgradeToAndCall(otherAddress, "0x"))
        .to.be.revertedWithCustomError(vault, "RollbackTargetMismatch")
        .withArgs(otherAddress, v1Address);
    });

    it("refuses a rollback after the window (RollbackWindowExpired)", async function () {
      const { vault, v1Address, guardian, deadline } = await networkHelpers.loadFixture(upgradedFixture);
      await networkHelpers.time.increase(ROLLBACK_WINDOW + 1n);
      expect(BigInt(await networkHelpers.time.latest())).to.be.greaterThan(deadline);
      await expect(vault.connect(guardian).upgradeToAndCall(v1Address, "0x"))
        .to.be.revertedWithCustomError(vault, "RollbackWindowExpired")
        .withArgs(deadline);
    });

    it("refuses a rollback one second after the deadline (RollbackWindowExpired)", async function () {
      const { vault, v1Address, guardian, deadline } = await networkHelpers.loadFixture(upgradedFixture);
      await networkHelpers.time.setNextBlockTimestamp(deadline + 1n);
      await expect(vault.connect(guardian).upgradeToAndCall(v1Address, "0x"))
        .to.be.revertedWithCustomError(vault, "RollbackWindowExpired")
        .withArgs(deadline);
    });

    it("refuses a second rollback (NoRollbackTarget)", async function () {
      const { vault, v1Address, guardian } = await networkHelpers.loadFixture(upgradedFixture);
      await vault.connect(guardian).upgradeToAndCall(v1Address, "0x");
      await expect(vault.connect(guardian).upgradeToAndCall(v1Address, "0x")).to.be.revertedWithCustomError(
        vault,
        "NoRollbackTarget",
      );
    });

    it("refuses a rollback carrying call data (RollbackCallDataNotAllowed)", async function () {
      const { vault, v1Address, guardian } = await networkHelpers.loadFixture(upgradedFixture);
      const data = vault.interface.encodeFunctionData("grantRole", [UPGRADER_ROLE, guardian.address]);
      await expect(vault.connect(guardian).upgradeToAndCall(v1Address, data)).to.be.revertedWithCustomError(
        vault,
        "RollbackCallDataNotAllowed",
      );
    });

    it("refuses a rollback carrying ETH (ERC1967NonPayable)", async function () {
      const { vault, v1Address, guardian } = await networkHelpers.loadFixture(upgradedFixture);
      await expect(
        vault.connect(guardian).upgradeToAndCall(v1Address, "0x", { value: 1n }),
      ).to.be.revertedWithCustomError(vault, "ERC1967NonPayable");
    });

    it("refuses a rollback by an account holding only PAUSER_ROLE", async function () {
      const { vault, v1Address, timelock, pauserOnly } = await networkHelpers.loadFixture(upgradedFixture);
      await vault.connect(timelock).grantRole(PAUSER_ROLE, pauserOnly.address);
      await expect(vault.connect(pauserOnly).upgradeToAndCall(v1Address, "0x"))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(pauserOnly.address, UPGRADER_ROLE);
    });

    it("refuses a rollback by a stranger", async function () {
      const { vault, v1Address, stranger } = await networkHelpers.loadFixture(upgradedFixture);
      await expect(vault.connect(stranger).upgradeToAndCall(v1Address, "0x"))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, UPGRADER_ROLE);
    });

    it("refuses a rollback after the timelock cleared the target (NoRollbackTarget)", async function () {
      const { vault, v1Address, guardian, timelock } = await networkHelpers.loadFixture(upgradedFixture);
      await vault.connect(timelock).clearRollbackTarget();
      await expect(vault.connect(guardian).upgradeToAndCall(v1Address, "0x")).to.be.revertedWithCustomError(
        vault,
        "NoRollbackTarget",
      );
    });
  });

  describe("clearRollbackTarget", function () {
    it("lets the timelock clear the target", async function () {
      const { vault, v1Address, timelock } = await networkHelpers.loadFixture(upgradedFixture);
      await expect(vault.connect(timelock).clearRollbackTarget())
        .to.emit(vault, "RollbackTargetCleared")
        .withArgs(v1Address);
      expect(await vault.rollbackTarget()).to.deep.equal([ZeroAddress, 0n]);
    });

    it("is a silent no-op without a target (safe to batch)", async function () {
      const { vault, timelock } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(timelock).clearRollbackTarget()).not.to.emit(vault, "RollbackTargetCleared");
    });

    it("clears the fresh target when batched as the setup call of a forward upgrade", async function () {
      const { vault, v1Address, v2Address, timelock, guardian } = await networkHelpers.loadFixture(deployFixture);
      const data = vault.interface.encodeFunctionData("clearRollbackTarget");
      const tx = vault.connect(timelock).upgradeToAndCall(v2Address, data);
      await expect(tx)
        .to.emit(vault, "RollbackTargetSet")
        .withArgs(v1Address, (deadline: bigint) => deadline > 0n);
      await expect(tx).to.emit(vault, "RollbackTargetCleared").withArgs(v1Address);
      expect(await vault.rollbackTarget()).to.deep.equal([ZeroAddress, 0n]);
      await expect(vault.connect(guardian).upgradeToAndCall(v1Address, "0x")).to.be.revertedWithCustomError(
        vault,
        "NoRollbackTarget",
      );
    });

    it("refuses the guardian", async function () {
      const { vault, guardian } = await networkHelpers.loadFixture(upgradedFixture);
      await expect(vault.connect(guardian).clearRollbackTarget())
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, UPGRADER_ROLE);
    });

    it("refuses a stranger", async function () {
      const { vault, stranger } = await networkHelpers.loadFixture(upgradedFixture);
      await expect(vault.connect(stranger).clearRollbackTarget())
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, UPGRADER_ROLE);
    });
  });

  describe("setRollbackWindow", function () {
    it("lets the timelock (DEFAULT_ADMIN_ROLE) change the window", async function () {
      const { vault, timelock } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(timelock).setRollbackWindow(DAY))
        .to.emit(vault, "RollbackWindowChanged")
        .withArgs(ROLLBACK_WINDOW, DAY);
      expect(await vault.rollbackWindow()).to.equal(DAY);
    });

    it("accepts exactly MAX_ROLLBACK_WINDOW", async function () {
      const { vault, timelock } = await networkHelpers.loadFixture(deployFixture);
      await vault.connect(timelock).setRollbackWindow(MAX_ROLLBACK_WINDOW);
      expect(await vault.rollbackWindow()).to.equal(MAX_ROLLBACK_WINDOW);
    });

    it("refuses a window above MAX_ROLLBACK_WINDOW (RollbackWindowTooLong)", async function () {
      const { vault, timelock } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(timelock).setRollbackWindow(MAX_ROLLBACK_WINDOW + 1n))
        .to.be.revertedWithCustomError(vault, "RollbackWindowTooLong")
        .withArgs(MAX_ROLLBACK_WINDOW + 1n, MAX_ROLLBACK_WINDOW);
    });

    it("does not move an already recorded deadline", async function () {
      const { vault, v1Address, timelock, deadline } = await networkHelpers.loadFixture(upgradedFixture);
      await vault.connect(timelock).setRollbackWindow(MAX_ROLLBACK_WINDOW);
      expect(await vault.rollbackTarget()).to.deep.equal([v1Address, deadline]);
      await vault.connect(timelock).setRollbackWindow(0n);
      expect(await vault.rollbackTarget()).to.deep.equal([v1Address, deadline]);
    });

    it("applies the new window to the next forward upgrade", async function () {
      const { vault, v1Address, v2Address, timelock } = await networkHelpers.loadFixture(deployFixture);
      await vault.connect(timelock).setRollbackWindow(DAY);
      const tx = vault.connect(timelock).upgradeToAndCall(v2Address, "0x");
      await (await tx).wait();
      const now = BigInt(await networkHelpers.time.latest());
      await expect(tx)
        .to.emit(vault, "RollbackTargetSet")
        .withArgs(v1Address, now + DAY);
    });

    it("refuses the guardian", async function () {
      const { vault, guardian } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(guardian).setRollbackWindow(DAY))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, DEFAULT_ADMIN_ROLE);
    });

    it("refuses a stranger", async function () {
      const { vault, stranger } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(stranger).setRollbackWindow(DAY))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, DEFAULT_ADMIN_ROLE);
    });
  });
});
