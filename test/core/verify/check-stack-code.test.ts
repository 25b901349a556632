import { readFile, writeFile } from "node:fs/promises";

import { expect } from "chai";
import hre from "hardhat";

import { ERRORS, ReleaseError } from "../../../src/core/errors.js";
import { readStackStatus } from "../../../src/core/governance/read-stack-status.js";
import type { StackRecord } from "../../../src/core/records/stack-record.js";
import { checkStackCode } from "../../../src/core/verify/check-stack-code.js";
import { createCompiledCodeSource } from "../../../src/plugin/compiled-code.js";
import { newTestChain, type TestChain } from "../../helpers/deploy.js";

const compiled = createCompiledCodeSource(hre);

async function deployed(): Promise<{ chain: TestChain; stack: StackRecord }> {
  const chain = await newTestChain();
  const { stack } = await chain.deploy();
  return { chain, stack };
}

async function setCode(chain: TestChain, address: string, code: string) {
  await chain.connection.provider.request({ method: "hardhat_setCode", params: [address, code] });
}

function check(chain: TestChain, contract?: string) {
  return checkStackCode({
    network: "default",
    provider: chain.connection.ethers.provider,
    records: chain.records,
    compiled,
    contract,
  });
}

describe("checkStackCode (release verify --local)", function () {
  it("finds the compiled code at every recorded address, immutables and Safe contracts included", async function () {
    const { chain, stack } = await deployed();
    const result = await check(chain);
    expect(result.ok).to.equal(true);
    const bySubject = Object.fromEntries(result.rows.map((r) => [r.subject, r]));
    expect(bySubject["Vault proxy"]).to.include({ status: "exact", contract: "ERC1967Proxy" });
    expect(bySubject["timelock"]).to.include({ status: "exact", contract: "ReleaseTimelock" });
    // UUPSUpgradeable keeps its own address in an immutable: taken from the chain, not compared.
    const impl = bySubject["VaultV1 implementation of Vault"]!;
    expect(impl).to.include({ status: "exact", address: stack.proxies.Vault!.implementation });
    expect(impl.immutables).to.be.greaterThan(0);
    expect(bySubject["Safe MultiSend"]).to.include({ status: "exact", kind: "safe-contract" });
    expect(bySubject["Safe MultiSend"]!.immutables).to.equal(1);
    expect(bySubject["owners Safe"]).to.include({ status: "exact", contract: "SafeProxy" });
    expect(result.rows.filter((r) => r.kind === "safe-contract")).to.have.length(9);
  });

  it("tells a tampered implementation (another contract at the address) from the real one", async function () {
    const { chain, stack } = await deployed();
    const v2 = await hre.artifacts.readArtifact("VaultV2");
    await setCode(chain, stack.proxies.Vault!.implementation, v2.deployedBytecode);
    const result = await check(chain);
    expect(result.ok).to.equal(false);
    const impl = result.rows.find((r) => r.kind === "implementation")!;
    expect(impl.status).to.equal("mismatch");
    expect(result.rows.filter((r) => r.status !== "exact").map((r) => r.subject)).to.deep.equal([impl.subject]);
  });

  it("reports an address without code", async function () {
    const { chain, stack } = await deployed();
    await setCode(chain, stack.timelock.address, "0x");
    const result = await check(chain, "timelock");
    expect(result.ok).to.equal(false);
    expect(result.rows).to.have.length(1);
    expect(result.rows[0]).to.include({ subject: "timelock", status: "no-code" });
  });

  it("refuses records naming a contract the project no longer compiles (RS4004)", async function () {
    const { chain } = await deployed();
    const text = await readFile(chain.records.stackFile, "utf8");
    await writeFile(chain.records.stackFile, text.replaceAll('"VaultV1"', '"VaultV0Removed"'));
    try {
      await check(chain);
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.VERIFY.CONTRACT_NOT_COMPILED), String(error)).to.equal(true);
      expect((error as Error).message).to.contain("VaultV0Removed");
    }
  });

  it("refuses a network whose records are missing (RS7003)", async function () {
    const chain = await newTestChain();
    try {
      await check(chain);
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.RECORDS.NOT_FOUND), String(error)).to.equal(true);
    }
  });

  it("refuses a --contract that selects nothing (RS4005)", async function () {
    const { chain } = await deployed();
    try {
      await check(chain, "NoSuchThing");
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.VERIFY.NOTHING_SELECTED), String(error)).to.equal(true);
    }
  });

  it("lets release status flag code drift of the implementation and the timelock", async function () {
    const { chain, stack } = await deployed();
    expect((await readStackStatus({ ...chain.proposalContext(), compiled: compiled })).ok).to.equal(true);
    const v2 = await hre.artifacts.readArtifact("VaultV2");
    await setCode(chain, stack.proxies.Vault!.implementation, v2.deployedBytecode);
    const status = await readStackStatus({ ...chain.proposalContext(), compiled: compiled });
    expect(status.ok).to.equal(false);
    expect(status.findings.map((f) => f.subject)).to.deep.equal(["Vault implementation compiled code"]);
    expect(status.findings[0]!.expected).to.equal("VaultV1 as compiled");

    // The stock TimelockController differs from ReleaseTimelock only in metadata: not drift.
    const stock = await hre.artifacts.readArtifact("TimelockController");
    await setCode(chain, stack.timelock.address, stock.deployedBytecode);
    const same = await readStackStatus({ ...chain.proposalContext(), compiled: compiled });
    expect(same.findings.map((f) => f.subject)).to.not.include("timelock compiled code");
    // Sources edited since the deploy: the compiled ReleaseTimelock is no longer what runs.
    const edited = {
      read: async (name: string) => compiled.read(name === "ReleaseTimelock" ? "VaultV2" : name),
    };
    const drifted = await readStackStatus({ ...chain.proposalContext(), compiled: edited });
    expect(drifted.findings.map((f) => f.subject)).to.include("timelock compiled code");
  });
});
