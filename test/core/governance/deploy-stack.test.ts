import { readFile, writeFile } from "node:fs/promises";

import { expect } from "chai";
import { Contract } from "ethers";

import type { ReleaseNetworkConfig } from "../../../src/core/config/release-config.js";
import { ERRORS, ReleaseError, type ErrorDescriptor } from "../../../src/core/errors.js";
import { GOVERNED_ABI, ROLES } from "../../../src/core/governance/roles.js";
import { lockRecords } from "../../../src/core/records/lock-records.js";
import { SAFE_CONTRACTS } from "../../../src/core/safe/safe-artifacts.js";
import { newTestChain, SimulatedCrash, type TestChain } from "../../helpers/deploy.js";

async function expectReleaseError(promise: Promise<unknown>, descriptor: ErrorDescriptor): Promise<ReleaseError> {
  try {
    await promise;
  } catch (error) {
    expect(ReleaseError.is(error), `expected a ReleaseError, got ${String(error)}`).to.equal(true);
    expect((error as ReleaseError).code).to.equal(descriptor.code);
    return error as ReleaseError;
  }
  expect.fail(`expected ${descriptor.code}, but nothing was thrown`);
}

/** Asserts that a failed command sent nothing and left the records as they were. */
async function expectNothingChanged(chain: TestChain, run: () => Promise<void>): Promise<void> {
  const nonce = await chain.deployerNonce();
  const stack = await readFile(chain.records.stackFile, "utf8").catch(() => undefined);
  const journal = await readFile(chain.records.journalFile, "utf8").catch(() => undefined);
  await run();
  expect(await chain.deployerNonce(), "transactions sent").to.equal(nonce);
  expect(await readFile(chain.records.stackFile, "utf8").catch(() => undefined), "stack.json").to.equal(stack);
  expect(await readFile(chain.records.journalFile, "utf8").catch(() => undefined), "journal").to.equal(journal);
}

function withConfig(chain: TestChain, change: (config: ReleaseNetworkConfig) => void): ReleaseNetworkConfig {
  const config = structuredClone(chain.config);
  change(config);
  return config;
}

describe("deployStack", function () {
  describe("on a fresh chain", function () {
    let chain: TestChain;
    before(async function () {
      chain = await newTestChain();
    });

    it("deploys Safe contracts at their canonical addresses, both Safes, the timelock and the proxy", async function () {
      const result = await chain.deploy();
      expect(result.status.ok, JSON.stringify(result.status.findings)).to.equal(true);
      expect(result.transactions).to.be.greaterThan(10);
      const provider = chain.connection.ethers.provider;
      for (const { address } of Object.values(SAFE_CONTRACTS)) {
        expect(await provider.getCode(address)).to.not.equal("0x");
      }
      expect(result.stack.safes.owners.threshold).to.equal(2);
      expect(result.stack.safes.owners.owners).to.have.members(chain.config.owners.owners!);
      expect(result.stack.safes.guardian.threshold).to.equal(1);
      expect(result.stack.proxies.Vault!.contract).to.equal("VaultV1");
    });

    it("wires the roles: the timelock administers itself and the proxy, the guardian pauses and rolls back, the deployer holds nothing", async function () {
      const stack = (await chain.records.readStack())!;
      const provider = chain.connection.ethers.provider;
      const timelock = new Contract(stack.timelock!.address, GOVERNED_ABI, provider);
      const vault = new Contract(stack.proxies.Vault!.address, GOVERNED_ABI, provider);
      const owners = stack.safes.owners!.address;
      const guardian = stack.safes.guardian!.address;
      const has = async (c: Contract, role: keyof typeof ROLES, who: string) =>
        (await c.hasRole!(ROLES[role], who)) as boolean;

      expect(await has(timelock, "DEFAULT_ADMIN", stack.timelock!.address)).to.equal(true);
      expect(await has(timelock, "PROPOSER", owners)).to.equal(true);
      expect(await has(timelock, "EXECUTOR", owners)).to.equal(true);
      expect(await has(timelock, "CANCELLER", guardian)).to.equal(true);
      expect(await has(timelock, "PROPOSER", guardian)).to.equal(false);
      expect(await has(vault, "UPGRADER", stack.timelock!.address)).to.equal(true);
      expect(await has(vault, "DEFAULT_ADMIN", stack.timelock!.address)).to.equal(true);
      expect(await has(vault, "PAUSER", guardian)).to.equal(true);
      expect(await has(vault, "GUARDIAN", guardian)).to.equal(true);
      for (const role of ["DEFAULT_ADMIN", "UPGRADER", "PAUSER", "GUARDIAN"] as const) {
        expect(await has(vault, role, stack.deployer), role).to.equal(false);
      }
      for (const role of ["DEFAULT_ADMIN", "PROPOSER", "EXECUTOR", "CANCELLER"] as const) {
        expect(await has(timelock, role, stack.deployer), role).to.equal(false);
      }
      expect(Number(await vault.rollbackWindow!())).to.equal(chain.config.rollbackWindow);
    });

    it("writes sorted JSON records with a trailing newline", async function () {
      const text = await readFile(chain.records.stackFile, "utf8");
      expect(text.endsWith("}\n")).to.equal(true);
      const keys = Object.keys(JSON.parse(text) as object);
      expect(keys).to.deep.equal([...keys].sort());
    });

    it("sends nothing and changes no record when run again", async function () {
      await expectNothingChanged(chain, async () => {
        const again = await chain.deploy();
        expect(again.transactions).to.equal(0);
        expect(again.status.ok).to.equal(true);
      });
    });

    it("refuses a config whose Safes or delay differ from the deployed stack (RS2007)", async function () {
      await expectNothingChanged(chain, async () => {
        await expectReleaseError(
          chain.deploy({ config: withConfig(chain, (c) => (c.owners.threshold = 3)) }),
          ERRORS.DEPLOY.CONFIG_CHANGED,
        );
        await expectReleaseError(
          chain.deploy({ config: withConfig(chain, (c) => (c.timelock.minDelay = 7200)) }),
          ERRORS.DEPLOY.CONFIG_CHANGED,
        );
        await expectReleaseError(
          chain.deploy({ config: withConfig(chain, (c) => (c.rollbackWindow = 60)) }),
          ERRORS.DEPLOY.CONFIG_CHANGED,
        );
      });
    });

    it("refuses records written for another chainId (RS5001)", async function () {
      const original = await readFile(chain.records.stackFile, "utf8");
      const other = JSON.parse(original) as { chainId: number };
      other.chainId = 10;
      await writeFile(chain.records.stackFile, JSON.stringify(other));
      try {
        await expectReleaseError(chain.deploy(), ERRORS.RPC.CHAIN_ID_MISMATCH);
        expect(JSON.parse(await readFile(chain.records.stackFile, "utf8"))).to.deep.equal(other);
      } finally {
        await writeFile(chain.records.stackFile, original);
      }
    });

    it("refuses a corrupt records file and leaves it untouched (RS7002)", async function () {
      const original = await readFile(chain.records.stackFile, "utf8");
      await writeFile(chain.records.stackFile, original.slice(0, 200));
      try {
        await expectNothingChanged(chain, async () => {
          await expectReleaseError(chain.deploy(), ERRORS.RECORDS.CORRUPT);
        });
      } finally {
        await writeFile(chain.records.stackFile, original);
      }
    });

    it("fails loudly when the chain no longer matches the security model (RS2006)", async function () {
      // Someone with the timelock's power grants the deployer a role: deploy must not call that a stack.
      const stack = (await chain.records.readStack())!;
      const timelock = stack.timelock!.address;
      const helpers = chain.connection.networkHelpers;
      await helpers.impersonateAccount(timelock);
      await helpers.setBalance(timelock, 10n ** 18n);
      const vault = await chain.connection.ethers.getContractAt(
        "VaultV1",
        stack.proxies.Vault!.address,
        await chain.connection.ethers.getSigner(timelock),
      );
      await (await vault.grantRole(ROLES.UPGRADER, stack.deployer)).wait();
      try {
        const error = await expectReleaseError(chain.deploy(), ERRORS.DEPLOY.ASSERTION_FAILED);
        expect(error.message).to.contain("UPGRADER");
      } finally {
        await (await vault.revokeRole(ROLES.UPGRADER, stack.deployer)).wait();
        await helpers.stopImpersonatingAccount(timelock);
      }
    });

    it("refuses to run while another command holds the records lock (RS7001)", async function () {
      // The lock of a live process (this one) is never taken over.
      const release = await lockRecords(chain.records.dir);
      try {
        await expectNothingChanged(chain, async () => {
          await expectReleaseError(chain.deploy(), ERRORS.RECORDS.LOCKED);
        });
      } finally {
        await release();
      }
      expect((await chain.deploy()).transactions).to.equal(0);
    });
  });

  describe("bad input sends nothing", function () {
    let chain: TestChain;
    beforeEach(async function () {
      chain = await newTestChain();
    });

    it("refuses an implementation OpenZeppelin's validation rejects (RS2003)", async function () {
      const config = withConfig(chain, (c) => (c.proxies.Vault!.contract = "VaultV2Unsafe"));
      await expectNothingChanged(chain, async () => {
        const error = await expectReleaseError(chain.deploy({ config }), ERRORS.DEPLOY.IMPLEMENTATION_REFUSED);
        expect(error.message).to.contain("VaultV2Unsafe");
      });
    });

    it("refuses a non-UUPS implementation (RS2003)", async function () {
      const config = withConfig(chain, (c) => (c.proxies.Vault!.contract = "VaultV2NotUUPS"));
      await expectNothingChanged(chain, async () => {
        await expectReleaseError(chain.deploy({ config }), ERRORS.DEPLOY.IMPLEMENTATION_REFUSED);
      });
    });

    it("refuses a contract the project does not compile (RS2008)", async function () {
      const config = withConfig(chain, (c) => (c.proxies.Vault!.contract = "NoSuchVault"));
      await expectNothingChanged(chain, async () => {
        await expectReleaseError(chain.deploy({ config }), ERRORS.DEPLOY.UNKNOWN_CONTRACT);
      });
    });

    it("refuses initializer arguments that do not fit the initializer (RS2010)", async function () {
      const config = withConfig(chain, (c) => (c.proxies.Vault!.args = ["1", "2"]));
      await expectNothingChanged(chain, async () => {
        await expectReleaseError(chain.deploy({ config }), ERRORS.DEPLOY.INITIALIZER_NOT_FOUND);
      });
    });

    it("refuses foreign code at a canonical Safe address (RS2005)", async function () {
      // Something other than Safe's code where SafeL2 should be: never trust it with the team's funds.
      await chain.connection.provider.request({
        method: "hardhat_setCode",
        params: [SAFE_CONTRACTS.safeSingletonL2Address.address, "0x6080604052600080fd"],
      });
      await expectReleaseError(chain.deploy(), ERRORS.DEPLOY.FOREIGN_CODE);
      expect((await chain.records.readStack())?.safes.owners).to.equal(undefined);
    });

    it("refuses an existing Safe address with no code (RS2001)", async function () {
      const config = withConfig(chain, (c) => (c.guardian = { address: "0x000000000000000000000000000000000000dEaD" }));
      await expectReleaseError(chain.deploy({ config }), ERRORS.DEPLOY.SAFE_NOT_FOUND);
      expect((await chain.records.readStack())?.safes.guardian).to.equal(undefined);
    });
  });

  it("refuses a chain with no Safe singleton factory and no presigned deployment for it (RS2004)", async function () {
    const chain = await newTestChain({ chainId: 987654321 });
    await expectNothingChanged(chain, async () => {
      await expectReleaseError(chain.deploy(), ERRORS.DEPLOY.NO_SAFE_FACTORY);
    });
  });

  describe("adopting existing Safes", function () {
    let chain: TestChain;
    let guardianAddress: string;
    before(async function () {
      // A first stack provides a real guardian Safe to adopt in a second one.
      chain = await newTestChain();
      guardianAddress = (await chain.deploy()).stack.safes.guardian.address;
    });

    it("adopts a Safe whose owners and threshold match", async function () {
      const other = await newRecordsFor(chain);
      const config = withConfig(
        chain,
        (c) => (c.guardian = { address: guardianAddress, owners: chain.config.guardian.owners, threshold: 1 }),
      );
      const result = await chain.deploy({ config, records: other });
      expect(result.stack.safes.guardian.origin).to.equal("adopted");
      expect(result.stack.safes.guardian.address).to.equal(guardianAddress);
    });

    it("refuses a Safe whose threshold differs from the config (RS2002)", async function () {
      const config = withConfig(chain, (c) => (c.guardian = { address: guardianAddress, threshold: 2 }));
      const error = await expectReleaseError(
        chain.deploy({ config, records: await newRecordsFor(chain) }),
        ERRORS.DEPLOY.SAFE_MISMATCH,
      );
      expect(error.message).to.contain("threshold");
    });

    it("refuses a Safe whose owners differ from the config (RS2002)", async function () {
      const config = withConfig(
        chain,
        (c) => (c.guardian = { address: guardianAddress, owners: chain.config.owners.owners!, threshold: 1 }),
      );
      await expectReleaseError(
        chain.deploy({ config, records: await newRecordsFor(chain) }),
        ERRORS.DEPLOY.SAFE_MISMATCH,
      );
    });
  });

  describe("crash and re-run", function () {
    it("converges to the same stack, without a duplicate transaction, whichever transaction the run died after", async function () {
      this.timeout(120_000);
      const reference = await newTestChain();
      const expected = (await reference.deploy()).stack;
      const expectedNonce = await reference.deployerNonce();

      for (let crashAfter = 1; crashAfter <= expectedNonce; crashAfter++) {
        const chain = await newTestChain();
        let sent = 0;
        const crash = (event: { type: string }) => {
          if (event.type === "tx-sent" && ++sent === crashAfter) throw new SimulatedCrash(`after tx ${crashAfter}`);
        };
        try {
          await chain.deploy({ onEvent: crash });
          expect.fail("the simulated crash did not happen");
        } catch (error) {
          expect(error, String(error)).to.be.instanceOf(SimulatedCrash);
        }
        const result = await chain.deploy();
        expect(result.stack, `crash after tx ${crashAfter}`).to.deep.equal(expected);
        expect(await chain.deployerNonce(), `transactions after a crash after tx ${crashAfter}`).to.equal(
          expectedNonce,
        );
        expect((await chain.deploy()).transactions).to.equal(0);
      }
    });

    it("waits for a transaction an earlier run left pending instead of sending it again (RS7005)", async function () {
      const chain = await newTestChain();
      await chain.connection.provider.request({ method: "evm_setAutomine", params: [false] });
      let sent = 0;
      try {
        await chain.deploy({
          onEvent: (e) => {
            if (e.type === "tx-sent" && ++sent === 1) throw new SimulatedCrash();
          },
        });
      } catch (error) {
        expect(error).to.be.instanceOf(SimulatedCrash);
      }
      await expectReleaseError(chain.deploy(), ERRORS.RECORDS.PENDING_TX);
      await chain.connection.provider.request({ method: "evm_mine", params: [] });
      await chain.connection.provider.request({ method: "evm_setAutomine", params: [true] });
      const result = await chain.deploy();
      expect(result.status.ok).to.equal(true);
      const journal = await chain.records.readJournal();
      const minedSteps = journal.filter((e) => e.type === "mined").map((e) => e.step);
      expect(new Set(minedSteps).size, "a step mined twice").to.equal(minedSteps.length);
    });
  });
});

async function newRecordsFor(_chain: TestChain) {
  const { mkdtemp } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const { openRecords } = await import("../../../src/core/records/records-store.js");
  return openRecords(await mkdtemp(path.join(tmpdir(), "release-safety-adopt-")));
}
