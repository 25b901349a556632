import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { errorResult, successfulResult } from "hardhat/utils/result";

import { readStackStatus } from "../../src/core/governance/read-stack-status.js";
import { openRuntime } from "../../src/plugin/runtime.js";
import { Reporter } from "../../src/ui/reporter.js";
import { codedAction } from "../../src/plugin/coded-action.js";

async function statusAction(args: { json: boolean }, hre: HardhatRuntimeEnvironment) {
  const runtime = await openRuntime(hre);
  const status = await readStackStatus({
    provider: runtime.connection.ethers.provider,
    records: runtime.records,
    network: runtime.network,
    artifacts: runtime.artifacts,
    compiled: runtime.compiledCode,
  });
  new Reporter({ json: args.json }).status(status);
  return status.ok ? successfulResult(status) : errorResult(status);
}

export default codedAction("release status", statusAction);
