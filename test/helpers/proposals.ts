import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import type { Signer } from "ethers";

import { ReleaseError, type ErrorDescriptor } from "../../src/core/errors.js";
import { executeProposal } from "../../src/core/proposals/execute-proposal.js";
import type { ProposalRecord } from "../../src/core/proposals/proposal-record.js";
import type { KindOptions } from "../../src/core/proposals/kinds/kind.js";
import { propose } from "../../src/core/proposals/propose.js";
import type { Address, Hex } from "../../src/core/records/stack-record.js";
import { encodeExecTransaction, encodeSignatures, newSafeTx } from "../../src/core/safe/safe-tx.js";
import { signProposal } from "../../src/core/proposals/sign-proposal.js";
import { createTypedDataSigner, listAccounts } from "../../src/plugin/proposal-deps.js";
import type { TestChain } from "./deploy.js";
import { signSafeTx } from "./safe-typed-data.js";

/** Hardhat accounts #1-#3 own the owners Safe (threshold 2); #4-#5 the guardian Safe (threshold 1). */
export const OWNER_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
export const OWNER_2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
export const OWNER_3 = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
export const GUARDIAN_1 = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
/** Two of the three owners: enough for the owners Safe's threshold. */
export const OWNERS_2_OF_3 = [OWNER_1, OWNER_2] as const;
/** Account #6: owns nothing. */
export const STRANGER = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";

export async function sign(chain: TestChain, proposal: string, signer?: string, signature?: string) {
  return signProposal({
    ctx: chain.proposalContext(),
    proposal,
    signer,
    signature,
    accounts: await listAccounts(chain.connection),
    signTypedData: createTypedDataSigner(chain.connection),
  });
}

export async function execute(chain: TestChain, proposal: string) {
  return executeProposal({ ctx: chain.proposalContext(), tx: await chain.txContext(), proposal });
}

/** Drafts a proposal of any kind, as `release propose <kind>` does. */
export async function proposeOn(chain: TestChain, kind: string, options: KindOptions): Promise<ProposalRecord> {
  return propose({
    ctx: chain.proposalContext(),
    kind,
    options,
    tx: () => chain.txContext(),
    checkUpgrade: chain.runtime.checkUpgrade,
  });
}

export async function draftUpgrade(chain: TestChain, implementation = "VaultV2", noRollback = false) {
  const call = implementation === "VaultV2" ? "initializeV2()" : undefined;
  return proposeOn(chain, "upgrade", { proxy: "Vault", implementation, call, noRollback });
}

export async function draftInstantRollback(chain: TestChain) {
  return proposeOn(chain, "rollback", { proxy: "Vault", instant: true });
}

/**
 * Uses a Safe nonce outside the toolkit, as the Safe app would: a transaction (by default a call
 * to the Safe itself) signed and executed by one owner, for a Safe whose threshold is 1.
 */
export async function spendSafeNonce(
  owner: Signer,
  safe: string,
  nonce: number,
  call: { to?: string; data?: string } = {},
): Promise<void> {
  const tx = newSafeTx({ to: (call.to ?? safe) as Address, data: (call.data ?? "0x") as Hex, nonce });
  const { chainId } = await owner.provider!.getNetwork();
  const signature = await signSafeTx(owner, Number(chainId), safe, tx);
  const signer = (await owner.getAddress()) as Address;
  const data = encodeExecTransaction(tx, encodeSignatures([{ signer, data: signature, kind: "eip712" }]));
  await (await owner.sendTransaction({ to: safe, data })).wait();
}

export async function draftPause(chain: TestChain) {
  return proposeOn(chain, "pause", { proxy: "Vault" });
}

/** Runs an upgrade proposal through both phases; returns it executed. */
export async function upgradeThroughTimelock(chain: TestChain, implementation = "VaultV2"): Promise<ProposalRecord> {
  const proposal = await draftUpgrade(chain, implementation);
  await sign(chain, proposal.id, OWNER_1);
  await sign(chain, proposal.id, OWNER_2);
  const { eta } = await execute(chain, proposal.id);
  await chain.connection.networkHelpers.time.increaseTo(eta!);
  await sign(chain, proposal.id, OWNER_1);
  await sign(chain, proposal.id, OWNER_2);
  return (await execute(chain, proposal.id)).proposal;
}

export function proposalFile(chain: TestChain, id: string): string {
  return path.join(chain.records.dir, "proposals", `${id}.json`);
}

/** Edits a proposal file as an attacker (or a careless hand) would. */
export async function editProposal(chain: TestChain, id: string, edit: (p: ProposalRecord) => void): Promise<void> {
  const file = proposalFile(chain, id);
  const proposal = JSON.parse(await readFile(file, "utf8")) as ProposalRecord;
  edit(proposal);
  await writeFile(file, JSON.stringify(proposal, null, 2));
}

export async function expectCode(promise: Promise<unknown>, descriptor: ErrorDescriptor): Promise<ReleaseError> {
  try {
    await promise;
  } catch (error) {
    expect(ReleaseError.is(error), `expected ${descriptor.code}, got ${String(error)}`).to.equal(true);
    expect((error as ReleaseError).code, (error as Error).message).to.equal(descriptor.code);
    return error as ReleaseError;
  }
  return expect.fail(`expected ${descriptor.code}, but nothing was thrown`);
}

/** Runs a refused command and asserts that it sent nothing and changed no proposal file. */
export async function expectRefused(
  chain: TestChain,
  run: () => Promise<unknown>,
  descriptor: ErrorDescriptor,
): Promise<ReleaseError> {
  const provider = chain.connection.ethers.provider;
  const block = await provider.getBlockNumber();
  const before = await snapshotFiles(chain);
  const error = await expectCode(run(), descriptor);
  expect(await provider.getBlockNumber(), "a transaction was sent").to.equal(block);
  expect(await snapshotFiles(chain), "records changed").to.deep.equal(before);
  return error;
}

async function snapshotFiles(chain: TestChain): Promise<Record<string, string>> {
  const proposals = await chain.records.listProposals().catch(() => []);
  const files: Record<string, string> = { stack: await readFile(chain.records.stackFile, "utf8").catch(() => "") };
  for (const p of proposals) files[p.id] = await readFile(proposalFile(chain, p.id), "utf8");
  return files;
}
