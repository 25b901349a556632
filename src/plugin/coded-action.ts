import { HardhatError } from "@nomicfoundation/hardhat-errors";
import { isError } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { ERRORS, ReleaseError } from "../core/errors.js";
import { selectedNetwork } from "./rpc-connection.js";

/**
 * Wraps a task action so that every error it can show carries an RS code and a hint, on every
 * network: the toolkit's own errors and Hardhat's pass unchanged; transport failures of the
 * network's endpoint become RS9002; anything else RS9001, with its message (never a stack trace;
 * `--show-stack-traces` still shows the cause).
 */
export function codedAction<A>(
  task: string,
  action: (args: A, hre: HardhatRuntimeEnvironment) => Promise<unknown>,
): (args: A, hre: HardhatRuntimeEnvironment) => Promise<unknown> {
  return async (args, hre) => {
    try {
      return await action(args, hre);
    } catch (error) {
      throw codedError(error, task, selectedNetwork(hre));
    }
  };
}

export function codedError(error: unknown, task: string, network: string): Error {
  if (ReleaseError.is(error)) return error;
  const message = firstLine(error);
  if (HardhatError.isHardhatError(error)) {
    // Hardhat's network errors (HHE7xx: connection refused, timeouts) are the endpoint's failure.
    return error.descriptor.number >= 700 && error.descriptor.number < 800
      ? new ReleaseError(ERRORS.INTERNAL.RPC_FAILED, { network, task, message }, error)
      : error;
  }
  if (isError(error, "NETWORK_ERROR") || isError(error, "TIMEOUT") || isError(error, "SERVER_ERROR")) {
    return new ReleaseError(ERRORS.INTERNAL.RPC_FAILED, { network, task, message }, error);
  }
  return new ReleaseError(ERRORS.INTERNAL.UNEXPECTED, { task, message }, error instanceof Error ? error : undefined);
}

function firstLine(error: unknown): string {
  const text =
    error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.message) : String(error);
  // RPC URLs can carry keys: never echo one.
  return (text.split("\n")[0] ?? "").replace(/https?:\/\/\S+/g, "<url>");
}
