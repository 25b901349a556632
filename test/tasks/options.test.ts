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
    expect(await code(task.run({ proxy: "", description: "", json: true }))).to.equal(
      ERRORS.CONFIG.MISSING_OPTION.code,
    );
  });

  it("refuses a rollback that is both --instant and --to, or neither (RS1009)", async function () {
    const task = hre.tasks.getTask(["release", "propose", "rollback"]);
    const base = { proxy: "Vault", description: "", json: true };
    expect(await code(task.run({ ...base, instant: true, to: "VaultV1" }))).to.equal(ERRORS.CONFIG.MISSING_OPTION.code);
    expect(await code(task.run({ ...base, instant: false, to: "" }))).to.equal(ERRORS.CONFIG.MISSING_OPTION.code);
  });

  it("refuses a cancel by a Safe other than guardian or owners (RS1009)", async function () {
    const task = hre.tasks.getTask(["release", "propose", "cancel"]);
    expect(
      await code(task.run({ proposal: "001-upgrade-Vault", by: "deployer", description: "", json: true })),
    ).to.equal(ERRORS.CONFIG.MISSING_OPTION.code);
  });
});
