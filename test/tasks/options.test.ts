import { expect } from "chai";
import hre from "hardhat";

import { ERRORS, ReleaseError } from "../../src/core/errors.js";

async function code(run: Promise<unknown>): Promise<string | undefined> {
  try {
    await run;
    return undefined;
  } catch (error) {
    return ReleaseError.is(error) ? error.code : String(error);
  }
}

describe("task options", function () {
  it("refuses a propose without --proxy (RS1009)", async function () {
    const task = hre.tasks.getTask(["release", "propose", "pause"]);
    expect(await code(task.run({ proxy: "", json: true }))).to.equal(ERRORS.CONFIG.MISSING_OPTION.code);
  });

  it("refuses a rollback that is both --instant and --to (RS1010), or neither (RS1009)", async function () {
    const task = hre.tasks.getTask(["release", "propose", "rollback"]);
    const base = { proxy: "Vault", json: true };
    expect(await code(task.run({ ...base, instant: true, to: "VaultV1" }))).to.equal(ERRORS.CONFIG.INVALID_OPTION.code);
    expect(await code(task.run({ ...base, instant: false }))).to.equal(ERRORS.CONFIG.MISSING_OPTION.code);
  });

  it("refuses a cancel by a Safe other than guardian or owners (RS1010), and one without a target (RS1009)", async function () {
    const task = hre.tasks.getTask(["release", "propose", "cancel"]);
    expect(await code(task.run({ target: "001-upgrade-Vault", by: "deployer", json: true }))).to.equal(
      ERRORS.CONFIG.INVALID_OPTION.code,
    );
    expect(await code(task.run({ by: "guardian", json: true }))).to.equal(ERRORS.CONFIG.MISSING_OPTION.code);
  });

  it("refuses a delay that is not a duration (RS1010), and a signers rotation without a Safe (RS1009)", async function () {
    expect(await code(hre.tasks.getTask(["release", "propose", "delay"]).run({ delay: "soon", json: true }))).to.equal(
      ERRORS.CONFIG.INVALID_OPTION.code,
    );
    expect(await code(hre.tasks.getTask(["release", "propose", "signers"]).run({ add: "0x1", json: true }))).to.equal(
      ERRORS.CONFIG.MISSING_OPTION.code,
    );
  });
});
