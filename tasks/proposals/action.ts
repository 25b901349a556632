import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { errorResult, successfulResult } from "hardhat/utils/result";

import { listProposals } from "../../src/core/proposals/list-proposals.js";
import { openRuntime } from "../../src/plugin/runtime.js";
import { Reporter } from "../../src/ui/reporter.js";
import { ReviewView } from "../../src/ui/review-view.js";
import { codedAction } from "../../src/plugin/coded-action.js";

async function proposalsAction(args: { json: boolean }, hre: HardhatRuntimeEnvironment) {
  const runtime = await openRuntime(hre);
  const reporter = new Reporter({ json: args.json });
  const result = await listProposals(runtime.proposalContext(reporter.onEvent));
  new ReviewView({ json: args.json }).proposals(result);
  return result.unexplained.length === 0 ? successfulResult(result) : errorResult(result);
}

export default codedAction("release proposals", proposalsAction);
