import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { errorResult, successfulResult } from "hardhat/utils/result";

import { checkStackCode } from "../../src/core/verify/check-stack-code.js";
import { verifyStack } from "../../src/core/verify/verify-stack.js";
import { openRuntime } from "../../src/plugin/runtime.js";
import { Reporter } from "../../src/ui/reporter.js";
import { readExplorerSetups } from "./explorer-setups.js";
import { createHardhatVerifySubmitter } from "./hardhat-verify-submitter.js";
import { codedAction } from "../../src/plugin/coded-action.js";

interface VerifyArgs {
  contract?: string;
  explorer?: string;
  attempts: number;
  retryDelay: number;
  local: boolean;
  json: boolean;
}

async function verifyAction(args: VerifyArgs, hre: HardhatRuntimeEnvironment) {
  // Compare with (and submit) what the sources say now; a no-op when nothing changed.
  await hre.tasks.getTask("build").run({ quiet: true });
  const runtime = await openRuntime(hre);
  const reporter = new Reporter({ json: args.json });
  const provider = runtime.connection.ethers.provider;
  const common = { network: runtime.network, provider, records: runtime.records, compiled: runtime.compiledCode };

  if (args.local) {
    const result = await checkStackCode({ ...common, contract: args.contract });
    reporter.codeCheck(result);
    return result.ok ? successfulResult(result) : errorResult(result);
  }
  reporter.heading(`Verifying the stack of ${runtime.network} on the explorers`);
  const chainId = Number((await provider.getNetwork()).chainId);
  const result = await verifyStack({
    ...common,
    contract: args.contract,
    explorers: { requested: args.explorer?.split(","), setups: readExplorerSetups(hre) },
    submit: createHardhatVerifySubmitter(hre, chainId),
    retry: { attempts: Math.max(1, args.attempts), delayMs: Math.max(0, args.retryDelay) * 1000 },
    onEvent: reporter.onVerifyEvent,
  });
  reporter.verifyResult(result);
  return result.ok ? successfulResult(result) : errorResult(result);
}

export default codedAction("release verify", verifyAction);
