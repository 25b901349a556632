import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { errorResult, successfulResult } from "hardhat/utils/result";

import { reviewFollowingChain } from "../../src/core/review/review-proposal.js";
import { openRuntime } from "../../src/plugin/runtime.js";
import { Reporter } from "../../src/ui/reporter.js";
import { ReviewView } from "../../src/ui/review-view.js";
import { codedAction } from "../../src/plugin/coded-action.js";

async function reviewAction(args: { proposal: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  const runtime = await openRuntime(hre);
  const reporter = new Reporter({ json: args.json });
  const report = await reviewFollowingChain(runtime.proposalContext(reporter.onEvent), args.proposal);
  new ReviewView({ json: args.json }).review(report);
  return report.ok ? successfulResult(report) : errorResult(report);
}

export default codedAction("release review", reviewAction);
