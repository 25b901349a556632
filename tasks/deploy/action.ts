import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { deployStack } from "../../src/core/governance/deploy-stack.js";
import { openRuntime } from "../../src/plugin/runtime.js";
import { Reporter } from "../../src/ui/reporter.js";
import { codedAction } from "../../src/plugin/coded-action.js";

async function deployAction(args: { json: boolean }, hre: HardhatRuntimeEnvironment) {
  // Deploy what the sources say now, never stale artifacts (a no-op when nothing changed).
  await hre.tasks.getTask("build").run({ quiet: true });
  const runtime = await openRuntime(hre);
  const reporter = new Reporter({ json: args.json });
  reporter.heading(`Deploying the governed stack on ${runtime.network}`);
  const result = await deployStack({
    network: runtime.network,
    config: runtime.networkConfig(),
    ctx: await runtime.txContext(reporter.onEvent),
    artifacts: runtime.artifacts,
    validateImplementation: runtime.validateImplementation,
  });
  reporter.deployResult(result);
  return result;
}

export default codedAction("release deploy", deployAction);
