import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { proposeUpgrade } from "../../../src/core/proposals/propose-upgrade.js";
import { openRuntime } from "../../../src/plugin/runtime.js";
import { proposalView } from "../../../src/ui/proposal-view.js";
import { Reporter } from "../../../src/ui/reporter.js";
import { required } from "../../options.js";
import { codedAction } from "../../../src/plugin/coded-action.js";

interface Args {
  proxy: string;
  implementation: string;
  call: string;
  noRollback: boolean;
  description: string;
  json: boolean;
}

async function proposeUpgradeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  await hre.tasks.getTask("build").run({ quiet: true });
  const runtime = await openRuntime(hre);
  const reporter = new Reporter({ json: args.json });
  const { proposal } = await proposeUpgrade({
    ctx: runtime.proposalContext(reporter.onEvent),
    tx: await runtime.txContext(reporter.onEvent),
    proxy: required(args.proxy, "--proxy"),
    implementation: required(args.implementation, "--implementation"),
    call: args.call,
    noRollback: args.noRollback,
    description: args.description || undefined,
    checkUpgrade: runtime.checkUpgrade,
  });
  reporter.render((color) => proposalView(proposal, color), proposal);
  return proposal;
}

export default codedAction("release propose upgrade", proposeUpgradeAction);
