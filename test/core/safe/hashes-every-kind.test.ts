import { expect } from "chai";
import { Contract } from "ethers";

import { PROPOSAL_KINDS } from "../../../src/core/proposals/kinds/registry.js";
import type { ProposalRecord } from "../../../src/core/proposals/proposal-record.js";
import { loadSafeArtifact } from "../../../src/core/safe/safe-artifacts.js";
import { safeTxArguments } from "../../../src/core/safe/safe-tx.js";
import { newTestChain, type TestChain } from "../../helpers/deploy.js";
import {
  draftUpgrade,
  execute,
  GUARDIAN_1,
  OWNER_1,
  OWNER_2,
  proposeOn,
  sign,
  STRANGER,
} from "../../helpers/proposals.js";
import { openSafe } from "../../helpers/safe-wallet.js";

/**
 * The hashes a signer compares (domain hash, message hash, safeTxHash) are the Safe team's own:
 * for a proposal of every kind, the toolkit's equal protocol-kit's `getTransactionHash` on a
 * transaction rebuilt from the raw fields, and the Safe contract's `getTransactionHash` and
 * `domainSeparator`.
 */
describe("Safe hashes of every proposal kind", function () {
  this.timeout(120_000);
  let chain: TestChain;
  const drafted: ProposalRecord[] = [];

  before(async function () {
    chain = await newTestChain();
    await chain.deploy();
    const signAndExecute = async (id: string, signers: string[]) => {
      for (const signer of signers) await sign(chain, id, signer);
      return (await execute(chain, id)).proposal;
    };
    // An upgrade through both phases (with a cancel of it drafted while it waits), a pause that
    // runs, then every kind that needs them.
    const upgrade = await draftUpgrade(chain);
    await signAndExecute(upgrade.id, [OWNER_1, OWNER_2]);
    drafted.push(await signAndExecute((await proposeOn(chain, "pause", { proxy: "Vault" })).id, [GUARDIAN_1]));
    drafted.push(await proposeOn(chain, "cancel", { target: upgrade.id }));
    const scheduled = (await chain.records.readProposal(upgrade.id))!;
    await chain.connection.networkHelpers.time.increaseTo(scheduled.timelock!.eta!);
    drafted.push(await signAndExecute(upgrade.id, [OWNER_1, OWNER_2]));
    drafted.push(await proposeOn(chain, "unpause", { proxy: "Vault" }));
    drafted.push(await proposeOn(chain, "rollback", { proxy: "Vault", instant: true }));
    drafted.push(await proposeOn(chain, "rollback", { proxy: "Vault", to: "VaultV1" }));
    drafted.push(await proposeOn(chain, "delay", { delay: "2h" }));
    drafted.push(await proposeOn(chain, "signers", { safe: "guardian", add: STRANGER }));
  });

  it("covers every kind in the registry", function () {
    const kinds = new Set(drafted.map((p) => p.kind));
    for (const kind of PROPOSAL_KINDS) {
      expect(kinds, kind.name).to.include(kind.name);
    }
  });

  it("equal protocol-kit's and the Safe contract's own, phase by phase", async function () {
    const chainId = Number((await chain.connection.ethers.provider.getNetwork()).chainId);
    let compared = 0;
    for (const proposal of drafted) {
      const kit = await openSafe(chain.connection.provider, proposal.safe.address, chainId);
      const safe = new Contract(
        proposal.safe.address,
        loadSafeArtifact("safeSingletonAddress").abi as never,
        chain.connection.ethers.provider,
      );
      for (const phase of proposal.phases) {
        if (phase.safeTx === null) continue;
        const tx = phase.safeTx;
        const rebuilt = await kit.createTransaction({
          transactions: [{ to: tx.to, value: tx.value, data: tx.data, operation: tx.operation }],
          options: {
            nonce: tx.nonce,
            safeTxGas: tx.safeTxGas,
            baseGas: tx.baseGas,
            gasPrice: tx.gasPrice,
            gasToken: tx.gasToken,
            refundReceiver: tx.refundReceiver,
          },
          onlyCalls: false,
        });
        const label = `${proposal.id} ${phase.name}`;
        expect(await kit.getTransactionHash(rebuilt), label).to.equal(phase.hashes!.safeTxHash);
        expect(await safe.getTransactionHash!(...safeTxArguments(tx), tx.nonce), label).to.equal(
          phase.hashes!.safeTxHash,
        );
        expect(await safe.domainSeparator!(), label).to.equal(phase.hashes!.domainHash);
        compared++;
      }
    }
    expect(compared).to.be.greaterThanOrEqual(drafted.length);
  });
});
