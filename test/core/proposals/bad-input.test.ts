import { expect } from "chai";
import { Wallet } from "ethers";

import { ERRORS } from "../../../src/core/errors.js";
import { newSafeTx, recoverSafeSignature } from "../../../src/core/safe/safe-tx.js";
import { signSafeTx } from "../../helpers/safe-typed-data.js";
import type { ProposalRecord } from "../../../src/core/proposals/proposal-record.js";
import { hashSafeTx } from "../../../src/core/safe/safe-tx.js";
import { executeProposal } from "../../../src/core/proposals/execute-proposal.js";
import { newTestChain, SimulatedCrash, type TestChain } from "../../helpers/deploy.js";
import {
  draftInstantRollback,
  draftPause,
  draftUpgrade,
  editProposal,
  execute,
  expectRefused,
  GUARDIAN_1,
  OWNER_1,
  OWNER_2,
  OWNER_3,
  sign,
  spendSafeNonce,
  STRANGER,
  upgradeThroughTimelock,
  proposeOn,
} from "../../helpers/proposals.js";

describe("proposals: bad input is refused, sends nothing and leaves the records intact", function () {
  this.timeout(60_000);
  let chain: TestChain;
  beforeEach(async function () {
    chain = await newTestChain();
    await chain.deploy();
  });

  describe("propose", function () {
    it("refuses an unknown proxy name (RS3001)", async function () {
      await expectRefused(chain, () => proposeOn(chain, "pause", { proxy: "Vaul" }), ERRORS.PROPOSAL.UNKNOWN_PROXY);
    });

    it("refuses a storage-incompatible implementation (RS2003)", async function () {
      const error = await expectRefused(
        chain,
        () => draftUpgrade(chain, "VaultV2BadLayout"),
        ERRORS.DEPLOY.IMPLEMENTATION_REFUSED,
      );
      expect(error.message).to.contain("insert");
    });

    it("refuses a non-UUPS implementation (RS2003)", async function () {
      await expectRefused(chain, () => draftUpgrade(chain, "VaultV2NotUUPS"), ERRORS.DEPLOY.IMPLEMENTATION_REFUSED);
    });

    it("refuses an implementation with a constructor and selfdestruct (RS2003)", async function () {
      await expectRefused(chain, () => draftUpgrade(chain, "VaultV2Unsafe"), ERRORS.DEPLOY.IMPLEMENTATION_REFUSED);
    });

    it("refuses an upgrade call the new implementation does not have (RS3022)", async function () {
      await expectRefused(
        chain,
        async () => proposeOn(chain, "upgrade", { proxy: "Vault", implementation: "VaultV2", call: "initializeV3()" }),
        ERRORS.PROPOSAL.INVALID_CALL,
      );
    });

    it("refuses an upgrade to the implementation already running (RS3021)", async function () {
      await expectRefused(chain, () => draftUpgrade(chain, "VaultV1"), ERRORS.PROPOSAL.SAME_IMPLEMENTATION);
    });

    it("refuses an instant rollback when there is no rollback target (RS3016)", async function () {
      await expectRefused(chain, () => draftInstantRollback(chain), ERRORS.PROPOSAL.NO_ROLLBACK_TARGET);
    });

    it("refuses an instant rollback after the window closed (RS3017)", async function () {
      await upgradeThroughTimelock(chain);
      await chain.connection.networkHelpers.time.increase(chain.config.rollbackWindow + 1);
      await expectRefused(chain, () => draftInstantRollback(chain), ERRORS.PROPOSAL.ROLLBACK_WINDOW_EXPIRED);
    });

    it("refuses a rollback to an address never deployed for that proxy (RS3018)", async function () {
      await upgradeThroughTimelock(chain);
      await expectRefused(
        chain,
        () => proposeOn(chain, "rollback", { proxy: "Vault", to: "0x000000000000000000000000000000000000bEEF" }),
        ERRORS.PROPOSAL.NOT_A_PREVIOUS_IMPLEMENTATION,
      );
    });

    it("refuses to pause a proxy that is already paused (RS3023)", async function () {
      const pause = await draftPause(chain);
      await sign(chain, pause.id, GUARDIAN_1);
      await execute(chain, pause.id);
      await expectRefused(chain, () => draftPause(chain), ERRORS.PROPOSAL.WRONG_PAUSE_STATE);
    });

    it("refuses to cancel a proposal that was never scheduled (RS3019)", async function () {
      const upgrade = await draftUpgrade(chain);
      await expectRefused(
        chain,
        () => proposeOn(chain, "cancel", { target: upgrade.id, by: "guardian" }),
        ERRORS.PROPOSAL.NOT_SCHEDULED,
      );
    });
  });

  describe("sign", function () {
    it("refuses a signature by a non-owner (RS3002)", async function () {
      const pause = await draftPause(chain);
      await expectRefused(chain, () => sign(chain, pause.id, STRANGER), ERRORS.PROPOSAL.NOT_AN_OWNER);
    });

    it("refuses an owner's signature of another safeTxHash (RS3003)", async function () {
      const pause = await draftPause(chain);
      const other = newSafeTx({ to: pause.phases[0]!.safeTx!.to, data: "0x", nonce: 7 });
      const guardian = await chain.connection.ethers.getSigner(GUARDIAN_1);
      const signature = await signSafeTx(
        guardian,
        chain.connection.networkConfig.chainId ?? 31337,
        pause.safe.address,
        other,
      );
      await expectRefused(
        chain,
        () => sign(chain, pause.id, GUARDIAN_1, signature),
        ERRORS.PROPOSAL.SIGNATURE_MISMATCH,
      );
    });

    it("refuses the same owner twice (RS3005)", async function () {
      const pause = await draftPause(chain);
      await sign(chain, pause.id, GUARDIAN_1);
      await expectRefused(chain, () => sign(chain, pause.id, GUARDIAN_1), ERRORS.PROPOSAL.DUPLICATE_SIGNATURE);
    });

    it("refuses a malformed signature (RS3004)", async function () {
      const pause = await draftPause(chain);
      await expectRefused(chain, () => sign(chain, pause.id, undefined, "0x1234"), ERRORS.PROPOSAL.MALFORMED_SIGNATURE);
      await expectRefused(
        chain,
        () => sign(chain, pause.id, undefined, `0x${"11".repeat(64)}05`),
        ERRORS.PROPOSAL.MALFORMED_SIGNATURE,
      );
    });

    it("refuses to sign with an account the network does not have (RS3020)", async function () {
      const pause = await draftPause(chain);
      await expectRefused(
        chain,
        () => sign(chain, pause.id, Wallet.createRandom().address),
        ERRORS.PROPOSAL.SIGNER_UNAVAILABLE,
      );
    });

    it("imports an owner's signature made elsewhere, after recovering it", async function () {
      const pause = await draftPause(chain);
      const guardian = await chain.connection.ethers.getSigner(GUARDIAN_1);
      const signature = await signSafeTx(guardian, 31337, pause.safe.address, pause.phases[0]!.safeTx!);
      const result = await sign(chain, pause.id, undefined, signature);
      expect(result.signer).to.equal(GUARDIAN_1);
      expect(recoverSafeSignature(result.safeTxHash, signature).kind).to.equal("eip712");
    });

    it("refuses an unknown proposal (RS3015)", async function () {
      await expectRefused(chain, () => sign(chain, "999-upgrade-Nothing", OWNER_1), ERRORS.PROPOSAL.UNKNOWN_PROPOSAL);
    });

    it("refuses a proposal made for another network (RS3014)", async function () {
      const pause = await draftPause(chain);
      await expectRefused(
        chain,
        async () =>
          (await import("../../../src/core/proposals/sign-proposal.js")).signProposal({
            ctx: { ...chain.proposalContext(), network: "sepolia" },
            proposal: pause.id,
            signer: GUARDIAN_1,
            accounts: [GUARDIAN_1],
            signTypedData: async () => "0x",
          }),
        ERRORS.PROPOSAL.WRONG_NETWORK,
      );
    });
  });

  describe("a proposal file edited after signing", function () {
    let id: string;
    beforeEach(async function () {
      id = (await draftUpgrade(chain)).id;
      await sign(chain, id, OWNER_1);
      await sign(chain, id, OWNER_2);
    });

    it("refuses edited calldata (RS3013)", async function () {
      await editProposal(
        chain,
        id,
        (p) => (p.phases[0]!.safeTx!.data = `${p.phases[0]!.safeTx!.data.slice(0, -2)}01` as never),
      );
      await expectRefused(chain, () => execute(chain, id), ERRORS.PROPOSAL.TAMPERED);
    });

    it("refuses an edited target (RS3013)", async function () {
      await editProposal(chain, id, (p) => (p.phases[0]!.safeTx!.to = STRANGER as never));
      await expectRefused(chain, () => execute(chain, id), ERRORS.PROPOSAL.TAMPERED);
    });

    it("refuses an edited nonce (RS3013)", async function () {
      await editProposal(chain, id, (p) => (p.phases[0]!.safeTx!.nonce += 1));
      await expectRefused(chain, () => execute(chain, id), ERRORS.PROPOSAL.TAMPERED);
    });

    it("refuses an edited chainId (RS3014)", async function () {
      await editProposal(chain, id, (p) => (p.chainId = 1));
      await expectRefused(chain, () => execute(chain, id), ERRORS.PROPOSAL.WRONG_NETWORK);
    });

    it("refuses hashes edited to match edited fields: the signatures no longer recover (RS3013)", async function () {
      const { hashSafeTx } = await import("../../../src/core/safe/safe-tx.js");
      await editProposal(chain, id, (p) => {
        const tx = p.phases[0]!.safeTx!;
        tx.data = `${tx.data.slice(0, -2)}01` as never;
        p.phases[0]!.hashes = hashSafeTx(p.chainId, p.safe.address, tx);
      });
      await expectRefused(chain, () => execute(chain, id), ERRORS.PROPOSAL.TAMPERED);
    });

    it("refuses edited hashes (RS3013)", async function () {
      await editProposal(chain, id, (p) => (p.phases[0]!.hashes!.safeTxHash = `0x${"ab".repeat(32)}` as never));
      await expectRefused(chain, () => sign(chain, id, OWNER_3), ERRORS.PROPOSAL.TAMPERED);
    });

    it("refuses a timelock operation edited to differ from the scheduled calldata (RS3013)", async function () {
      await editProposal(chain, id, (p) => (p.timelock!.operation.delay = 1));
      await expectRefused(chain, () => execute(chain, id), ERRORS.PROPOSAL.TAMPERED);
    });
  });

  describe("a proposal file rewritten to do something else, with hashes recomputed to match", function () {
    // An attacker who can edit the file can also recompute its hashes; owners who sign such a file
    // sign a valid hash. What stops it is that the transaction must be the one the proposal's
    // readable fields describe (what `review` decodes), nothing else.
    const rewrite = async (id: string, edit: (p: ProposalRecord) => void) =>
      editProposal(chain, id, (p) => {
        edit(p);
        const phase = p.phases.find((ph) => ph.executed === null)!;
        phase.hashes = hashSafeTx(p.chainId, p.safe.address, phase.safeTx!);
      });

    it('refuses a delegatecall smuggled in as the string "1": records are validated when read (RS7002)', async function () {
      const pause = await draftPause(chain);
      await rewrite(pause.id, (p) => {
        p.phases[0]!.safeTx!.operation = "1" as never;
        p.phases[0]!.safeTx!.to = STRANGER;
      });
      const error = await expectRefused(chain, () => sign(chain, pause.id, GUARDIAN_1), ERRORS.RECORDS.CORRUPT);
      expect(error.message).to.contain("phases.0.safeTx.operation");
    });

    it("refuses a pause rewritten to send ETH (RS3013)", async function () {
      const pause = await draftPause(chain);
      await rewrite(pause.id, (p) => {
        p.phases[0]!.safeTx!.to = STRANGER;
        p.phases[0]!.safeTx!.value = "1000000000000000000";
        p.phases[0]!.safeTx!.data = "0x";
      });
      await expectRefused(chain, () => sign(chain, pause.id, GUARDIAN_1), ERRORS.PROPOSAL.TAMPERED);
    });

    it("refuses an upgrade whose timelock operation was removed to call a stranger (RS3013)", async function () {
      const upgrade = await draftUpgrade(chain);
      await rewrite(upgrade.id, (p) => {
        delete p.timelock;
        p.phases[0]!.safeTx!.to = STRANGER;
      });
      await expectRefused(chain, () => sign(chain, upgrade.id, OWNER_1), ERRORS.PROPOSAL.TAMPERED);
    });

    it("refuses a non-zero safeTxGas, which would let a failing call consume the nonce silently (RS3013)", async function () {
      const pause = await draftPause(chain);
      await rewrite(pause.id, (p) => (p.phases[0]!.safeTx!.safeTxGas = "200000"));
      await expectRefused(chain, () => sign(chain, pause.id, GUARDIAN_1), ERRORS.PROPOSAL.TAMPERED);
    });

    it("refuses a pause relabelled as a cancel of another proposal (RS3013)", async function () {
      const pause = await draftPause(chain);
      await rewrite(pause.id, (p) => {
        p.kind = "cancel";
        p.cancels = { proposal: "001-upgrade-Vault", operationId: `0x${"12".repeat(32)}` as never };
      });
      await expectRefused(chain, () => sign(chain, pause.id, GUARDIAN_1), ERRORS.PROPOSAL.TAMPERED);
    });

    it("refuses the same owner's signature listed twice to reach the threshold (RS3013)", async function () {
      const upgrade = await draftUpgrade(chain);
      await sign(chain, upgrade.id, OWNER_1);
      await editProposal(chain, upgrade.id, (p) => p.phases[0]!.signatures.push(p.phases[0]!.signatures[0]!));
      await expectRefused(chain, () => execute(chain, upgrade.id), ERRORS.PROPOSAL.TAMPERED);
    });
  });

  describe("execute", function () {
    it("refuses too few signatures (RS3006)", async function () {
      const upgrade = await draftUpgrade(chain);
      await sign(chain, upgrade.id, OWNER_1);
      await expectRefused(chain, () => execute(chain, upgrade.id), ERRORS.PROPOSAL.NOT_ENOUGH_SIGNATURES);
    });

    it("refuses the execute phase before the ETA, saying how long remains (RS3009)", async function () {
      const upgrade = await draftUpgrade(chain);
      await sign(chain, upgrade.id, OWNER_1);
      await sign(chain, upgrade.id, OWNER_2);
      await execute(chain, upgrade.id);
      await sign(chain, upgrade.id, OWNER_1);
      await sign(chain, upgrade.id, OWNER_2);
      const error = await expectRefused(chain, () => execute(chain, upgrade.id), ERRORS.PROPOSAL.NOT_READY);
      expect(error.message).to.match(/in \d+ min/);
    });

    it("refuses a cancelled proposal (RS3010)", async function () {
      const upgrade = await draftUpgrade(chain);
      await sign(chain, upgrade.id, OWNER_1);
      await sign(chain, upgrade.id, OWNER_2);
      await execute(chain, upgrade.id);
      const cancel = await proposeOn(chain, "cancel", { target: upgrade.id, by: "guardian" });
      await sign(chain, cancel.id, GUARDIAN_1);
      await execute(chain, cancel.id);
      expect((await chain.records.readProposal(upgrade.id))!.status).to.equal("cancelled");
      await expectRefused(chain, () => execute(chain, upgrade.id), ERRORS.PROPOSAL.CANCELLED);
    });

    it("refuses a proposal that would fail on the current chain state, naming the inner revert (RS3012)", async function () {
      await upgradeThroughTimelock(chain);
      const rollback = await draftInstantRollback(chain);
      await sign(chain, rollback.id, GUARDIAN_1);
      // Signed in time, executed too late: the contract itself now refuses the rollback.
      await chain.connection.networkHelpers.time.increase(chain.config.rollbackWindow + 1);
      const error = await expectRefused(chain, () => execute(chain, rollback.id), ERRORS.PROPOSAL.SIMULATION_FAILED);
      expect(error.message).to.contain("RollbackWindowExpired");
    });

    it("refuses to execute twice (RS3011)", async function () {
      const pause = await draftPause(chain);
      await sign(chain, pause.id, GUARDIAN_1);
      await execute(chain, pause.id);
      await expectRefused(chain, () => execute(chain, pause.id), ERRORS.PROPOSAL.ALREADY_EXECUTED);
    });

    it("refuses a nonce another transaction already used on chain (RS3007)", async function () {
      const pause = await draftPause(chain);
      await sign(chain, pause.id, GUARDIAN_1);
      // Meanwhile someone uses the guardian Safe's nonce 0 from the Safe app for another transaction.
      await spendSafeNonce(await chain.connection.ethers.getSigner(GUARDIAN_1), pause.safe.address, 0);
      await expectRefused(chain, () => execute(chain, pause.id), ERRORS.PROPOSAL.NONCE_USED);
    });

    it("completes the record of a run that died right after sending, instead of refusing the used nonce", async function () {
      const upgrade = await draftUpgrade(chain);
      await sign(chain, upgrade.id, OWNER_1);
      await sign(chain, upgrade.id, OWNER_2);
      const tx = await chain.txContext();
      const crash = (event: { type: string }) => {
        if (event.type === "tx-sent") throw new SimulatedCrash();
      };
      try {
        await executeProposal({ ctx: chain.proposalContext(), tx: { ...tx, onEvent: crash }, proposal: upgrade.id });
        expect.fail("the simulated crash did not happen");
      } catch (error) {
        expect(error).to.be.instanceOf(SimulatedCrash);
      }
      expect((await chain.records.readProposal(upgrade.id))!.status).to.equal("drafted");
      const block = await chain.connection.ethers.provider.getBlockNumber();
      const result = await execute(chain, upgrade.id);
      expect(result.phase).to.equal("schedule");
      expect(result.eta).to.be.a("number");
      expect(await chain.connection.ethers.provider.getBlockNumber(), "a transaction was sent again").to.equal(block);
      expect((await chain.records.readProposal(upgrade.id))!.phases[1]!.safeTx).to.not.equal(null);
    });

    it("refuses a proposal whose nonce is not next, naming the earlier ones (RS3008)", async function () {
      // Two guardian drafts: the second waits for the first's nonce.
      await draftPause(chain);
      const another = await proposeOn(chain, "pause", { proxy: "Vault" });
      expect(another.phases[0]!.safeTx!.nonce).to.equal(1);
      await sign(chain, another.id, GUARDIAN_1);
      await expectRefused(chain, () => execute(chain, another.id), ERRORS.PROPOSAL.NONCE_AHEAD);
    });
  });
});
