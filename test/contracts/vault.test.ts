import { expect } from "chai";
import { ZeroAddress, ZeroHash, parseEther } from "ethers";
import { network } from "hardhat";

import {
  DEPOSIT_CAP,
  deployVault,
  erc7201Slot,
  implementationOf,
  mappingSlot,
  namedSigners,
  slotHex,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const DEFAULT_ADMIN_ROLE = ZeroHash;

async function deployFixture() {
  const { deployer, timelock, guardian, alice, bob, stranger } = await namedSigners(ethers);
  const deployment = await deployVault(ethers, {
    timelock: timelock.address,
    guardian: guardian.address,
    depositCap: DEPOSIT_CAP,
  });
  const v2Impl = await ethers.deployContract("VaultV2");
  return { ...deployment, v2Address: await v2Impl.getAddress(), deployer, timelock, guardian, alice, bob, stranger };
}

/** Alice deposited 3 ETH, Bob 2 ETH, still on V1. */
async function fundedFixture() {
  const f = await deployFixture();
  await f.vault.connect(f.alice).deposit({ value: parseEther("3") });
  await f.vault.connect(f.bob).deposit({ value: parseEther("2") });
  return f;
}

/** fundedFixture, then the timelock upgraded to V2 (running initializeV2). */
async function upgradedFixture() {
  const f = await fundedFixture();
  const v2Interface = (await ethers.getContractFactory("VaultV2")).interface;
  await f.vault.connect(f.timelock).upgradeToAndCall(f.v2Address, v2Interface.encodeFunctionData("initializeV2"));
  const vault2 = await ethers.getContractAt("VaultV2", f.proxyAddress);
  return { ...f, vault2 };
}

/** A contract depositor (VaultReceiverMock) with 1 ETH in the vault next to Alice's 3 ETH. */
async function receiverFixture() {
  const f = await fundedFixture();
  const receiver = await ethers.deployContract("VaultReceiverMock", [f.proxyAddress]);
  await receiver.deposit({ value: parseEther("1") });
  return { ...f, receiver };
}

describe("VaultV1", function () {
  it("reports version 1.0.0", async function () {
    const { vault } = await networkHelpers.loadFixture(deployFixture);
    expect(await vault.version()).to.equal("1.0.0");
  });

  it("stores the initial deposit cap", async function () {
    const { vault } = await networkHelpers.loadFixture(deployFixture);
    expect(await vault.depositCap()).to.equal(DEPOSIT_CAP);
  });

  describe("deposit", function () {
    it("credits the sender and the total and emits Deposited", async function () {
      const { vault, proxyAddress, alice } = await networkHelpers.loadFixture(deployFixture);
      const amount = parseEther("1");
      await expect(vault.connect(alice).deposit({ value: amount }))
        .to.emit(vault, "Deposited")
        .withArgs(alice.address, amount);
      expect(await vault.balanceOf(alice.address)).to.equal(amount);
      expect(await vault.totalDeposits()).to.equal(amount);
      expect(await ethers.provider.getBalance(proxyAddress)).to.equal(amount);
    });

    it("accepts deposits up to exactly the cap", async function () {
      const { vault, alice } = await networkHelpers.loadFixture(deployFixture);
      await vault.connect(alice).deposit({ value: DEPOSIT_CAP });
      expect(await vault.totalDeposits()).to.equal(DEPOSIT_CAP);
    });

    it("refuses a zero deposit (ZeroAmount)", async function () {
      const { vault, alice } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(alice).deposit({ value: 0n })).to.be.revertedWithCustomError(vault, "ZeroAmount");
    });

    it("refuses a deposit above the cap (DepositCapExceeded)", async function () {
      const { vault, alice, bob } = await networkHelpers.loadFixture(fundedFixture);
      const amount = DEPOSIT_CAP - parseEther("5") + 1n;
      await expect(vault.connect(bob).deposit({ value: amount }))
        .to.be.revertedWithCustomError(vault, "DepositCapExceeded")
        .withArgs(DEPOSIT_CAP, DEPOSIT_CAP + 1n);
      expect(await vault.balanceOf(alice.address)).to.equal(parseEther("3"));
    });

    it("treats a cap of 0 as no cap", async function () {
      const { vault, timelock, alice } = await networkHelpers.loadFixture(deployFixture);
      await vault.connect(timelock).setDepositCap(0n);
      await vault.connect(alice).deposit({ value: DEPOSIT_CAP + 1n });
      expect(await vault.totalDeposits()).to.equal(DEPOSIT_CAP + 1n);
    });

    it("refuses plain ETH transfers (no receive function: nothing untracked)", async function () {
      const { proxyAddress, alice } = await networkHelpers.loadFixture(deployFixture);
      await expect(alice.sendTransaction({ to: proxyAddress, value: 1n })).to.be.revertedWithoutReason(ethers);
    });
  });

  describe("withdraw", function () {
    it("pays out, debits the balance and the total, and emits Withdrawn", async function () {
      const { vault, proxyAddress, alice } = await networkHelpers.loadFixture(fundedFixture);
      const amount = parseEther("1");
      const tx = vault.connect(alice).withdraw(amount);
      await expect(tx).to.emit(vault, "Withdrawn").withArgs(alice.address, amount);
      await expect(tx).to.changeEtherBalances(ethers, [alice, proxyAddress], [amount, -amount]);
      expect(await vault.balanceOf(alice.address)).to.equal(parseEther("2"));
      expect(await vault.totalDeposits()).to.equal(parseEther("4"));
    });

    it("allows withdrawing the full balance", async function () {
      const { vault, alice } = await networkHelpers.loadFixture(fundedFixture);
      await vault.connect(alice).withdraw(parseEther("3"));
      expect(await vault.balanceOf(alice.address)).to.equal(0n);
    });

    it("refuses more than the balance (InsufficientBalance)", async function () {
      const { vault, alice } = await networkHelpers.loadFixture(fundedFixture);
      const requested = parseEther("3") + 1n;
      await expect(vault.connect(alice).withdraw(requested))
        .to.be.revertedWithCustomError(vault, "InsufficientBalance")
        .withArgs(parseEther("3"), requested);
    });

    it("refuses a withdrawal by an account without balance (InsufficientBalance)", async function () {
      const { vault, stranger } = await networkHelpers.loadFixture(fundedFixture);
      await expect(vault.connect(stranger).withdraw(1n))
        .to.be.revertedWithCustomError(vault, "InsufficientBalance")
        .withArgs(0n, 1n);
    });

    it("refuses a zero withdrawal (ZeroAmount)", async function () {
      const { vault, alice } = await networkHelpers.loadFixture(fundedFixture);
      await expect(vault.connect(alice).withdraw(0n)).to.be.revertedWithCustomError(vault, "ZeroAmount");
    });

    it("reverts with TransferFailed when the recipient rejects ETH, keeping the balance", async function () {
      const { vault, receiver } = await networkHelpers.loadFixture(receiverFixture);
      await receiver.setMode(1n); // Reject
      await expect(receiver.withdraw(parseEther("1"))).to.be.revertedWithCustomError(vault, "TransferFailed");
      expect(await vault.balanceOf(await receiver.getAddress())).to.equal(parseEther("1"));
    });

    it("pays a re-entrant recipient only once (checks-effects-interactions)", async function () {
      const { vault, proxyAddress, receiver } = await networkHelpers.loadFixture(receiverFixture);
      await receiver.setMode(2n); // Reenter
      const amount = parseEther("1");
      await expect(receiver.withdraw(amount)).to.changeEtherBalances(
        ethers,
        [receiver, proxyAddress],
        [amount, -amount],
      );
      expect(await receiver.reentrySucceeded()).to.equal(false);
      expect(await vault.balanceOf(await receiver.getAddress())).to.equal(0n);
      expect(await vault.totalDeposits()).to.equal(parseEther("5"));
    });
  });

  describe("setDepositCap", function () {
    it("lets the timelock (DEFAULT_ADMIN_ROLE) change the cap", async function () {
      const { vault, timelock } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(timelock).setDepositCap(1n))
        .to.emit(vault, "DepositCapChanged")
        .withArgs(DEPOSIT_CAP, 1n);
      expect(await vault.depositCap()).to.equal(1n);
    });

    it("refuses the guardian", async function () {
      const { vault, guardian } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(guardian).setDepositCap(1n))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, DEFAULT_ADMIN_ROLE);
    });

    it("refuses a stranger", async function () {
      const { vault, stranger } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(stranger).setDepositCap(1n))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, DEFAULT_ADMIN_ROLE);
    });
  });

  describe("while paused", function () {
    it("blocks deposit (EnforcedPause)", async function () {
      const { vault, guardian, alice } = await networkHelpers.loadFixture(fundedFixture);
      await vault.connect(guardian).pause();
      await expect(vault.connect(alice).deposit({ value: 1n })).to.be.revertedWithCustomError(vault, "EnforcedPause");
    });

    it("blocks withdraw (EnforcedPause)", async function () {
      const { vault, guardian, alice } = await networkHelpers.loadFixture(fundedFixture);
      await vault.connect(guardian).pause();
      await expect(vault.connect(alice).withdraw(1n)).to.be.revertedWithCustomError(vault, "EnforcedPause");
    });

    it("resumes deposit and withdraw after the timelock unpauses", async function () {
      const { vault, guardian, timelock, alice } = await networkHelpers.loadFixture(fundedFixture);
      await vault.connect(guardian).pause();
      await vault.connect(timelock).unpause();
      await vault.connect(alice).deposit({ value: 1n });
      await vault.connect(alice).withdraw(1n);
      expect(await vault.balanceOf(alice.address)).to.equal(parseEther("3"));
    });
  });

  it("keeps VaultStorage at the ERC-7201 slot (balances, totalDeposits, depositCap)", async function () {
    const { proxyAddress, alice } = await networkHelpers.loadFixture(fundedFixture);
    const base = erc7201Slot("release-safety.storage.Vault");
    expect(slotHex(base)).to.equal("0x922746fd2dfae0809c1c8a3c7de15bf151485f4274e484a867573a77174e7d00");
    const read = async (slot: bigint) => BigInt(await ethers.provider.getStorage(proxyAddress, slotHex(slot)));
    expect(await read(mappingSlot(alice.address, base))).to.equal(parseEther("3"));
    expect(await read(base + 1n)).to.equal(parseEther("5"));
    expect(await read(base + 2n)).to.equal(DEPOSIT_CAP);
  });
});

describe("VaultV2", function () {
  it("reports version 2.0.0 after the upgrade", async function () {
    const { vault2 } = await networkHelpers.loadFixture(upgradedFixture);
    expect(await vault2.version()).to.equal("2.0.0");
  });

  it("locks initializeV2 on the implementation (InvalidInitialization)", async function () {
    const { v2Address } = await networkHelpers.loadFixture(deployFixture);
    const impl = await ethers.getContractAt("VaultV2", v2Address);
    await expect(impl.initializeV2()).to.be.revertedWithCustomError(impl, "InvalidInitialization");
  });

  it("refuses initializeV2 a second time on the proxy (InvalidInitialization)", async function () {
    const { vault2, stranger } = await networkHelpers.loadFixture(upgradedFixture);
    await expect(vault2.connect(stranger).initializeV2()).to.be.revertedWithCustomError(
      vault2,
      "InvalidInitialization",
    );
  });

  describe("transfer", function () {
    it("moves balance between accounts, counts it, and emits Transferred", async function () {
      const { vault2, alice, bob } = await networkHelpers.loadFixture(upgradedFixture);
      const amount = parseEther("1");
      await expect(vault2.connect(alice).transfer(bob.address, amount))
        .to.emit(vault2, "Transferred")
        .withArgs(alice.address, bob.address, amount);
      expect(await vault2.balanceOf(alice.address)).to.equal(parseEther("2"));
      expect(await vault2.balanceOf(bob.address)).to.equal(parseEther("3"));
      expect(await vault2.totalDeposits()).to.equal(parseEther("5"));
      expect(await vault2.transferCount()).to.equal(1n);
    });

    it("refuses the zero address as recipient (ZeroAddress)", async function () {
      const { vault2, alice } = await networkHelpers.loadFixture(upgradedFixture);
      await expect(vault2.connect(alice).transfer(ZeroAddress, 1n)).to.be.revertedWithCustomError(
        vault2,
        "ZeroAddress",
      );
    });

    it("refuses more than the balance (InsufficientBalance)", async function () {
      const { vault2, alice, bob } = await networkHelpers.loadFixture(upgradedFixture);
      const requested = parseEther("3") + 1n;
      await expect(vault2.connect(alice).transfer(bob.address, requested))
        .to.be.revertedWithCustomError(vault2, "InsufficientBalance")
        .withArgs(parseEther("3"), requested);
    });

    it("refuses a zero amount (ZeroAmount)", async function () {
      const { vault2, alice, bob } = await networkHelpers.loadFixture(upgradedFixture);
      await expect(vault2.connect(alice).transfer(bob.address, 0n)).to.be.revertedWithCustomError(vault2, "ZeroAmount");
    });

    it("is blocked while paused (EnforcedPause)", async function () {
      const { vault2, guardian, alice, bob } = await networkHelpers.loadFixture(upgradedFixture);
      await vault2.connect(guardian).pause();
      await expect(vault2.connect(alice).transfer(bob.address, 1n)).to.be.revertedWithCustomError(
        vault2,
        "EnforcedPause",
      );
    });
  });

  it("keeps VaultV2Storage at its own ERC-7201 slot (transferCount)", async function () {
    const { vault2, proxyAddress, alice, bob } = await networkHelpers.loadFixture(upgradedFixture);
    await vault2.connect(alice).transfer(bob.address, 1n);
    await vault2.connect(bob).transfer(alice.address, 1n);
    const slot = erc7201Slot("release-safety.storage.VaultV2");
    expect(slotHex(slot)).to.equal("0xf2d76075c70c7a176622c6f50085d57e64d80e8e1ee1dd1bcfb6c0b43537d800");
    expect(BigInt(await ethers.provider.getStorage(proxyAddress, slotHex(slot)))).to.equal(2n);
  });
});

describe("state across upgrade, rollback and re-upgrade", function () {
  it("keeps balances, totalDeposits and depositCap through the V1 -> V2 upgrade", async function () {
    const { vault2, alice, bob } = await networkHelpers.loadFixture(upgradedFixture);
    expect(await vault2.balanceOf(alice.address)).to.equal(parseEther("3"));
    expect(await vault2.balanceOf(bob.address)).to.equal(parseEther("2"));
    expect(await vault2.totalDeposits()).to.equal(parseEther("5"));
    expect(await vault2.depositCap()).to.equal(DEPOSIT_CAP);
  });

  it("keeps V2-era balances through the guardian rollback, and V1 keeps working", async function () {
    const { vault, vault2, proxyAddress, v1Address, guardian, alice, bob } =
      await networkHelpers.loadFixture(upgradedFixture);
    await vault2.connect(alice).transfer(bob.address, parseEther("1"));
    await vault.connect(guardian).upgradeToAndCall(v1Address, "0x");
    expect(await implementationOf(ethers, proxyAddress)).to.equal(v1Address);
    expect(await vault.version()).to.equal("1.0.0");
    expect(await vault.balanceOf(alice.address)).to.equal(parseEther("2"));
    expect(await vault.balanceOf(bob.address)).to.equal(parseEther("3"));
    expect(await vault.totalDeposits()).to.equal(parseEther("5"));
    expect(await vault.depositCap()).to.equal(DEPOSIT_CAP);
    await expect(vault.connect(bob).withdraw(parseEther("3"))).to.changeEtherBalance(ethers, bob, parseEther("3"));
    expect(await vault.totalDeposits()).to.equal(parseEther("2"));
  });

  it("picks up transferCount again after re-upgrading to V2 (without re-running initializeV2)", async function () {
    const { vault, vault2, v1Address, v2Address, guardian, timelock, alice, bob } =
      await networkHelpers.loadFixture(upgradedFixture);
    await vault2.connect(alice).transfer(bob.address, 1n);
    await vault.connect(guardian).upgradeToAndCall(v1Address, "0x");
    await vault.connect(alice).deposit({ value: 1n });
    await vault.connect(timelock).upgradeToAndCall(v2Address, "0x");
    expect(await vault2.version()).to.equal("2.0.0");
    expect(await vault2.transferCount()).to.equal(1n);
    expect(await vault2.balanceOf(alice.address)).to.equal(parseEther("3"));
    expect(await vault2.totalDeposits()).to.equal(parseEther("5") + 1n);
    await vault2.connect(alice).transfer(bob.address, 1n);
    expect(await vault2.transferCount()).to.equal(2n);
  });

  it("refuses re-running initializeV2 on the re-upgrade (InvalidInitialization)", async function () {
    const { vault, vault2, v1Address, v2Address, guardian, timelock } =
      await networkHelpers.loadFixture(upgradedFixture);
    await vault.connect(guardian).upgradeToAndCall(v1Address, "0x");
    const data = vault2.interface.encodeFunctionData("initializeV2");
    await expect(vault.connect(timelock).upgradeToAndCall(v2Address, data)).to.be.revertedWithCustomError(
      vault,
      "InvalidInitialization",
    );
  });

  it("keeps roles and the paused flag through upgrade and rollback", async function () {
    const { vault, v1Address, guardian, timelock } = await networkHelpers.loadFixture(upgradedFixture);
    await vault.connect(guardian).pause();
    await vault.connect(guardian).upgradeToAndCall(v1Address, "0x");
    expect(await vault.paused()).to.equal(true);
    expect(await vault.hasRole(await vault.UPGRADER_ROLE(), timelock.address)).to.equal(true);
    expect(await vault.hasRole(await vault.GUARDIAN_ROLE(), guardian.address)).to.equal(true);
  });
});
