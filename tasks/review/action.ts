import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { errorResult, successfulResult } from "hardhat/utils/result";

import { reviewProposal } from "../../src/core/review/review-proposal.js";
import { openRuntime } from "../../src/plugin/runtime.js";
import { ReviewView } from "../../src/ui/review-view.js";

export default async function reviewAction(args: { proposal: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  const runtime = await openRuntime(hre);
  const report = await reviewProposal({
    provider: runtime.connection.ethers.provider,
    network: runtime.network,
    records: runtime.records,
    artifacts: runtime.artifacts,
    proposal: args.proposal,
  });
  new ReviewView({ json: args.json }).review(report);
  return report.ok ? successfulResult(report) : errorResult(report);
}
