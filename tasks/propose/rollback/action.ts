import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { ERRORS, ReleaseError } from "../../../src/core/errors.js";
import { proposeRollback } from "../../../src/core/proposals/propose-rollback.js";
import { openRuntime } from "../../../src/plugin/runtime.js";
import { proposalView } from "../../../src/ui/proposal-view.js";
import { Reporter } from "../../../src/ui/reporter.js";
import { required } from "../../options.js";
import { codedAction } from "../../../src/plugin/coded-action.js";

interface Args {
  proxy: string;
  instant: boolean;
  to: string;
  description: string;
  json: boolean;
}

async function proposeRollbackAction(args: Args, hre: HardhatRuntimeEnvironment) {
  if (args.instant === (args.to !== "")) {
    throw new ReleaseError(ERRORS.CONFIG.MISSING_OPTION, {
      option: "exactly one of --instant or --to <address|contract>",
    });
  }
  const runtime = await openRuntime(hre);
  const reporter = new Reporter({ json: args.json });
  const proposal = await proposeRollback({
    ctx: runtime.proposalContext(reporter.onEvent),
    proxy: required(args.proxy, "--proxy"),
    instant: args.instant,
    to: args.to || undefined,
    description: args.description || undefined,
    checkUpgrade: runtime.checkUpgrade,
  });
  reporter.render((color) => proposalView(proposal, color), proposal);
  return proposal;
}

export default codedAction("release propose rollback", proposeRollbackAction);
