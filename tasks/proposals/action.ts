import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { successfulResult } from "hardhat/utils/result";

import { listProposals } from "../../src/core/proposals/list-proposals.js";
import { openRuntime } from "../../src/plugin/runtime.js";
import { ReviewView } from "../../src/ui/review-view.js";

export default async function proposalsAction(args: { json: boolean }, hre: HardhatRuntimeEnvironment) {
  const runtime = await openRuntime(hre);
  const result = await listProposals({
    provider: runtime.connection.ethers.provider,
    network: runtime.network,
    records: runtime.records,
  });
  new ReviewView({ json: args.json }).proposals(result);
  return successfulResult(result);
}
