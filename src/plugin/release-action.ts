import { HardhatError } from "@nomicfoundation/hardhat-errors";
import { isError } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { errorResult, successfulResult } from "hardhat/utils/result";

import { ERRORS, ReleaseError } from "../core/errors.js";
import { Output, type View } from "../ui/output.js";
import { selectedNetwork } from "./rpc-connection.js";
import { openRuntime, type ReleaseRuntime } from "./runtime.js";

/** What an action gets besides its arguments. */
export interface ActionIo {
  hre: HardhatRuntimeEnvironment;
  /** For the core's events while it works (result rendering is the wrapper's job). */
  output: Output;
  /** The selected network's runtime, opened on first use. */
  runtime: () => Promise<ReleaseRuntime>;
}

interface OutputFlags {
  json?: boolean;
  markdown?: boolean;
}

/**
 * Every task's action is `run` wrapped in this: `run` calls the core and returns a value; the
 * output renders it with `view` (text, `--markdown`, or `--json`) and its `ok` sets the exit code.
 * Every error leaves with an RS code and a hint, on every network: the toolkit's own and Hardhat's
 * pass unchanged, an endpoint's failure becomes RS9002, anything else RS9001 (never a stack
 * trace; `--show-stack-traces` still shows the cause).
 */
export function releaseAction<A extends OutputFlags, R>(
  task: string,
  view: View<R>,
  run: (args: A, io: ActionIo) => Promise<R>,
): (args: A, hre: HardhatRuntimeEnvironment) => Promise<unknown> {
  return async (args, hre) => {
    const network = selectedNetwork(hre);
    const output = new Output({
      network,
      format: args.json === true ? "json" : args.markdown === true ? "markdown" : "text",
    });
    let runtime: Promise<ReleaseRuntime> | undefined;
    try {
      const result = await run(args, { hre, output, runtime: () => (runtime ??= openRuntime(hre)) });
      const value = result as unknown as NonNullable<unknown>;
      return output.result(view, result) ? successfulResult(value) : errorResult(value);
    } catch (error) {
      throw codedError(error, task, network);
    }
  };
}

export function codedError(error: unknown, task: string, network: string): Error {
  // Every hint is a command that runs as printed: it names the network the command ran on.
  if (ReleaseError.is(error)) {
    return error.values.network === undefined
      ? new ReleaseError(error.descriptor, { ...error.values, network }, (error.cause as Error | undefined) ?? error)
      : error;
  }
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
