import { HardhatError } from "@nomicfoundation/hardhat-errors";
import { verifyContract } from "@nomicfoundation/hardhat-verify/verify";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { SubmissionOutcome, VerificationSubmitter } from "../../src/core/verify/verify-stack.js";
import { explorerContractUrl } from "./explorer-setups.js";

const VERIFY_ERRORS = HardhatError.ERRORS.HARDHAT_VERIFY.GENERAL;

/**
 * The core's submitter, backed by hardhat-verify's `verifyContract` (which opens its own
 * connection on `--network`, checks whether the explorer has the source already, submits and polls).
 * Its answers are classified here, where hardhat's error descriptors are known.
 */
export function createHardhatVerifySubmitter(hre: HardhatRuntimeEnvironment, chainId: number): VerificationSubmitter {
  return async ({ explorer, address, contract, constructorArgs }) => {
    const url = explorerContractUrl(hre, chainId, explorer, address);
    // hardhat-verify narrates to console.log and its public API takes no logger: keep its lines
    // out of our output (and out of --json) while it runs. Calls are sequential, so this is safe.
    const said: string[] = [];
    /* eslint-disable no-console -- silencing a library's prints, never printing */
    const log = console.log;
    console.log = (...parts: unknown[]) => void said.push(parts.map(String).join(" "));
    /* eslint-enable no-console */
    try {
      await verifyContract({ address, contract, constructorArgs, provider: explorer }, hre);
      const already = said.some((line) => line.includes("has already been verified"));
      return { result: already ? "already-verified" : "verified", url };
    } catch (error) {
      return classify(error, url);
    } finally {
      console.log = log; // eslint-disable-line no-console
    }
  };
}

function classify(error: unknown, url: string): SubmissionOutcome {
  if (HardhatError.isHardhatError(error, VERIFY_ERRORS.CONTRACT_ALREADY_VERIFIED)) {
    return { result: "already-verified", url };
  }
  if (HardhatError.isHardhatError(error, VERIFY_ERRORS.CONTRACT_VERIFICATION_MISSING_BYTECODE)) {
    return { result: "not-indexed", url, message: "the explorer has not indexed the contract yet" };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { result: "failed", url, message: message.replace(/\s+/g, " ").trim() };
}
