// The OpenZeppelin upgrades plugin must accept the real V1 -> V2 upgrade and refuse the three test-only
// variants in contracts/test/. The on-chain tests show what each refusal protects against.
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import { expect } from "chai";
import { parseEther } from "ethers";
import hre from "hardhat";

import { deployVault, implementationOf, namedSigners, rejectionOf } from "./helpers.js";

const connection = await hre.network.create();
const { ethers, networkHelpers } = connection;
const upgradesApi = await upgrades(hre, connection);

async function deployFixture() {
  const { timelock, guardian, alice } = await namedSigners(ethers);
  const deployment = await deployVault(ethers, { timelock: timelock.address, guardian: guardian.address });
  await deployment.vault.connect(alice).deposit({ value: parseEther("3") });
  return { ...deployment, timelock, guardian, alice };
}

describe("upgrade safety (OpenZeppelin upgrades plugin)", function () {
  describe("accepted", function () {
    it("validates VaultV1 as a UUPS implementation", async function () {
      const factory = await ethers.getContractFactory("VaultV1");
      await upgradesApi.validateImplementation(factory, { kind: "uups" });
    });

    it("validates the VaultV1 -> VaultV2 upgrade", async function () {
      const v1 = await ethers.getContractFactory("VaultV1");
      const v2 = await ethers.getContractFactory("VaultV2");
      await upgradesApi.validateUpgrade(v1, v2, { kind: "uups" });
    });

    it("flags the V2 -> V1 rollback direction only for the V2 namespace that V1 ignores", async function () {
      // A rollback keeps the V2 namespace's data untouched; V1 just does not read it. The plugin reports
      // that as a deleted namespace, and nothing else: the shared Vault namespace is compatible.
      const v1 = await ethers.getContractFactory("VaultV1");
      const v2 = await ethers.getContractFactory("VaultV2");
      const error = await rejectionOf(upgradesApi.validateUpgrade(v2, v1, { kind: "uups" }));
      expect(error.message).to.match(/Deleted namespace `erc7201:release-safety\.storage\.VaultV2`/);
      expect(error.message).not.to.match(/release-safety\.storage\.Vault`/);
      expect(error.message).not.to.match(/GovernedUUPS`/);
    });
  });

  describe("refused", function () {
    it("refuses VaultV2BadLayout (field inserted into the Vault namespace)", async function () {
      const v1 = await ethers.getContractFactory("VaultV1");
      const bad = await ethers.getContractFactory("VaultV2BadLayout");
      expect((await rejectionOf(upgradesApi.validateUpgrade(v1, bad, { kind: "uups" }))).message).to.match(
        /New storage layout is incompatible[\s\S]*Inserted `withdrawalFee`/,
      );
    });

    it("refuses VaultV2NotUUPS (would leave the proxy without upgrade logic)", async function () {
      const v1 = await ethers.getContractFactory("VaultV1");
      const notUups = await ethers.getContractFactory("VaultV2NotUUPS");
      expect((await rejectionOf(upgradesApi.validateUpgrade(v1, notUups, { kind: "uups" }))).message).to.match(
        /missing a public `upgradeTo\(address\)` or `upgradeToAndCall\(address,bytes\)` function/,
      );
    });

    it("refuses VaultV2Unsafe (constructor writing state)", async function () {
      const unsafe = await ethers.getContractFactory("VaultV2Unsafe");
      expect((await rejectionOf(upgradesApi.validateImplementation(unsafe, { kind: "uups" }))).message).to.match(
        /Contract `[^`]*VaultV2Unsafe` has a constructor/,
      );
    });

    it("refuses VaultV2Unsafe (selfdestruct)", async function () {
      const unsafe = await ethers.getContractFactory("VaultV2Unsafe");
      expect((await rejectionOf(upgradesApi.validateImplementation(unsafe, { kind: "uups" }))).message).to.match(
        /Use of selfdestruct is not allowed/,
      );
    });
  });

  describe("what the refusals protect against (on-chain)", function () {
    it("UUPS itself rejects the non-UUPS implementation (ERC1967InvalidImplementation)", async function () {
      const { vault, timelock } = await networkHelpers.loadFixture(deployFixture);
      const notUups = await ethers.deployContract("VaultV2NotUUPS");
      const notUupsAddress = await notUups.getAddress();
      await expect(vault.connect(timelock).upgradeToAndCall(notUupsAddress, "0x"))
        .to.be.revertedWithCustomError(vault, "ERC1967InvalidImplementation")
        .withArgs(notUupsAddress);
    });

    it("UUPS rejects an address without code (proxiableUUID cannot be decoded)", async function () {
      const { vault, proxyAddress, v1Address, timelock, alice } = await networkHelpers.loadFixture(deployFixture);
      await expect(vault.connect(timelock).upgradeToAndCall(alice.address, "0x")).to.be.revertedWithoutReason(ethers);
      expect(await implementationOf(ethers, proxyAddress)).to.equal(v1Address);
    });

    it("nothing on-chain stops the bad layout: balances silently read as zero after it", async function () {
      const { vault, proxyAddress, timelock, alice } = await networkHelpers.loadFixture(deployFixture);
      const bad = await ethers.deployContract("VaultV2BadLayout");
      await vault.connect(timelock).upgradeToAndCall(await bad.getAddress(), "0x");
      const corrupted = await ethers.getContractAt("VaultV2BadLayout", proxyAddress);
      expect(await corrupted.balanceOf(alice.address)).to.equal(0n);
      expect(await ethers.provider.getBalance(proxyAddress)).to.equal(parseEther("3"));
    });

    it("the guardian can still recover from the bad layout by rolling back to V1", async function () {
      const { vault, proxyAddress, v1Address, timelock, guardian, alice } =
        await networkHelpers.loadFixture(deployFixture);
      const bad = await ethers.deployContract("VaultV2BadLayout");
      await vault.connect(timelock).upgradeToAndCall(await bad.getAddress(), "0x");
      await vault.connect(guardian).upgradeToAndCall(v1Address, "0x");
      expect(await implementationOf(ethers, proxyAddress)).to.equal(v1Address);
      expect(await vault.balanceOf(alice.address)).to.equal(parseEther("3"));
    });
  });
});
