import type { Provider } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import { lockRecords } from "../records/lock-records.js";
import type { RecordsStore } from "../records/records-store.js";
import type { Address, ExplorerName, VerificationEntry } from "../records/stack-record.js";
import { checkContractsCode, type CodeCheckRow } from "./check-contracts-code.js";
import type { CompiledCodeSource } from "./compiled-code.js";
import { listStackContracts, type StackContract } from "./list-stack-contracts.js";
import { readRecordedStack } from "../records/read-recorded-stack.js";
import { resolveExplorers, type ExplorerSetup } from "./resolve-explorers.js";

/** One submission to one explorer, as hardhat-verify takes it. */
export interface VerificationRequest {
  explorer: ExplorerName;
  address: Address;
  /** Fully qualified name, e.g. "contracts/example/VaultV1.sol:VaultV1". */
  contract: string;
  constructorArgs: unknown[];
}

/**
 * What an explorer answered, classified by the task's hardhat-verify adapter:
 * `not-indexed` ("Unable to locate ContractCode", the explorer has not seen the deployment yet)
 * is the one answer worth retrying in the same run.
 */
export interface SubmissionOutcome {
  result: "verified" | "already-verified" | "not-indexed" | "failed";
  /** Where people see the contract's source on this explorer. */
  url: string;
  message?: string;
}

export type VerificationSubmitter = (request: VerificationRequest) => Promise<SubmissionOutcome>;

export interface VerificationRow {
  subject: string;
  contract: string;
  address: Address;
  explorer: ExplorerName;
  /** `previously-verified`: the records say so, nothing was sent this run. */
  outcome: "verified" | "already-verified" | "previously-verified" | "not-indexed" | "failed";
  url: string;
  message?: string;
  /** Submissions this run (0 when nothing was sent). */
  attempts: number;
}

export type VerifyEvent =
  | { type: "verify-start"; subject: string; explorer: ExplorerName; address: Address }
  | { type: "verify-retry"; subject: string; explorer: ExplorerName; attempt: number; delayMs: number }
  | { type: "verify-done"; row: VerificationRow }
  | { type: "verify-skipped-explorer"; explorer: ExplorerName; reason: string };

export interface VerifyStackParameters {
  network: string;
  provider: Pick<Provider, "getCode" | "getNetwork">;
  records: RecordsStore;
  compiled: CompiledCodeSource;
  /** `--explorer` as given (undefined: every enabled explorer that knows the chain) and the config. */
  explorers: { requested?: string[]; setups: Record<ExplorerName, ExplorerSetup> };
  submit: VerificationSubmitter;
  /** Only what this name selects (a proxy name, a contract name, or "timelock"). */
  contract?: string;
  /** Submissions per contract and explorer while the explorer has not indexed it; the wait doubles each time. */
  retry?: { attempts: number; delayMs: number };
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  onEvent?: (event: VerifyEvent) => void;
}

export interface VerifyStackResult {
  network: string;
  chainId: number;
  explorers: ExplorerName[];
  rows: VerificationRow[];
  /** The local bytecode match of everything checked, Safe contracts included (those are canonical: checked, never submitted). */
  code: CodeCheckRow[];
  /** True when every contract is verified on every explorer and every Safe contract has its canonical code. */
  ok: boolean;
}

export const DEFAULT_RETRY = { attempts: 5, delayMs: 10_000 } as const;

/**
 * `release verify`: submits every contract of the stack's records (each implementation, earlier
 * ones too, each proxy, the timelock) to each explorer through the injected submitter
 * (hardhat-verify in the task), one at a time.
 *
 * - What the records already hold as verified is not sent again, so a re-run resumes.
 * - "Not indexed yet" is retried with a doubling wait, up to `retry.attempts` submissions.
 * - "Already verified" counts as verified.
 * - A failure on one contract or explorer is recorded and the run goes on.
 * - A contract whose on-chain code is not its compiled artifact is not submitted (the explorer
 *   would refuse it, and it is the finding that matters).
 * - Each outcome is written to `stack.json` at once (under the records lock, merged into the
 *   current file), so an interrupted run keeps what it achieved.
 *
 * JSON-RPC: eth_chainId and one eth_getCode per address; explorer calls happen in `submit`.
 */
export async function verifyStack(params: VerifyStackParameters): Promise<VerifyStackResult> {
  const { records, network, submit } = params;
  const retry = params.retry ?? DEFAULT_RETRY;
  const sleep = params.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = params.now ?? (() => new Date());
  const onEvent = params.onEvent ?? (() => undefined);

  const stack = await readRecordedStack(params.provider, records, network);
  const contracts = await listStackContracts({ stack, compiled: params.compiled, contract: params.contract });
  const { explorers, skipped } = await resolveExplorers({
    network,
    chainId: stack.chainId,
    requested: params.explorers.requested,
    setups: params.explorers.setups,
  });
  for (const s of skipped) onEvent({ type: "verify-skipped-explorer", ...s });
  const code = await checkContractsCode({
    provider: params.provider,
    stack,
    contracts,
    safes: params.contract === undefined,
  });

  const save = async (address: Address, explorer: ExplorerName, entry: VerificationEntry) => {
    const release = await lockRecords(records.dir, now);
    try {
      const current = await records.readStack();
      if (current === undefined) throw new ReleaseError(ERRORS.RECORDS.NOT_FOUND, { network, dir: records.dir });
      const verification = (current.verification ??= {});
      verification[address] = { ...verification[address], [explorer]: entry };
      await records.writeStack(current);
    } finally {
      await release();
    }
  };

  const rows: VerificationRow[] = [];
  for (const target of contracts) {
    const local = code.find((c) => c.address === target.address)!;
    for (const explorer of explorers) {
      const previous = stack.verification?.[target.address]?.[explorer];
      const base = {
        subject: target.subject,
        contract: target.compiled.contractName,
        address: target.address,
        explorer,
      };
      if (previous?.status === "verified") {
        const row: VerificationRow = { ...base, outcome: "previously-verified", url: previous.url, attempts: 0 };
        rows.push(row);
        onEvent({ type: "verify-done", row });
        continue;
      }
      onEvent({ type: "verify-start", subject: target.subject, explorer, address: target.address });
      const row = await verifyOne(target, local, explorer);
      rows.push(row);
      await save(target.address, explorer, {
        status: row.outcome === "verified" || row.outcome === "already-verified" ? "verified" : "failed",
        url: row.url,
        at: now().toISOString(),
        ...(row.message === undefined ? {} : { message: row.message }),
      });
      onEvent({ type: "verify-done", row });
    }
  }

  async function verifyOne(
    target: StackContract,
    local: CodeCheckRow,
    explorer: ExplorerName,
  ): Promise<VerificationRow> {
    const base = { subject: target.subject, contract: target.compiled.contractName, address: target.address, explorer };
    if (local.status === "mismatch" || local.status === "no-code") {
      return {
        ...base,
        outcome: "failed",
        url: "",
        attempts: 0,
        message:
          local.status === "no-code"
            ? "no code at this address: nothing to verify"
            : `the code on chain is not ${target.compiled.contractName} as compiled now (${local.detail}): not submitted`,
      };
    }
    for (let attempt = 1; ; attempt++) {
      let outcome: SubmissionOutcome;
      try {
        outcome = await submit({
          explorer,
          address: target.address,
          contract: target.compiled.fullyQualifiedName,
          constructorArgs: target.constructorArgs,
        });
      } catch (error) {
        outcome = { result: "failed", url: "", message: (error as Error).message };
      }
      if (outcome.result === "not-indexed" && attempt < retry.attempts) {
        const delayMs = retry.delayMs * 2 ** (attempt - 1);
        onEvent({ type: "verify-retry", subject: target.subject, explorer, attempt, delayMs });
        await sleep(delayMs);
        continue;
      }
      const message =
        outcome.result === "not-indexed"
          ? `the explorer has not indexed the contract after ${attempt} attempts; run again later`
          : outcome.result === "failed" && !target.argsReproduceAddress
            ? `${outcome.message ?? "failed"} (note: the constructor arguments derived from the records do not reproduce the address)`
            : outcome.message;
      return {
        ...base,
        outcome: outcome.result,
        url: outcome.url,
        attempts: attempt,
        ...(message === undefined ? {} : { message }),
      };
    }
  }

  const verifiedOutcomes = new Set<VerificationRow["outcome"]>(["verified", "already-verified", "previously-verified"]);
  return {
    network,
    chainId: stack.chainId,
    explorers,
    rows,
    code,
    ok:
      rows.every((r) => verifiedOutcomes.has(r.outcome)) &&
      code.every((c) => c.status === "exact" || c.status === "metadata-differs"),
  };
}
