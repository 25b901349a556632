import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { ERRORS, ReleaseError } from "../../../src/core/errors.js";
import { proposeCancel } from "../../../src/core/proposals/propose-cancel.js";
import { openRuntime } from "../../../src/plugin/runtime.js";
import { proposalView } from "../../../src/ui/proposal-view.js";
import { Reporter } from "../../../src/ui/reporter.js";
import { codedAction } from "../../../src/plugin/coded-action.js";

async function proposeCancelAction(
  args: { proposal: string; by: string; description: string; json: boolean },
  hre: HardhatRuntimeEnvironment,
) {
  if (args.by !== "guardian" && args.by !== "owners") {
    throw new ReleaseError(ERRORS.CONFIG.MISSING_OPTION, { option: "--by guardian|owners" });
  }
  const runtime = await openRuntime(hre);
  const reporter = new Reporter({ json: args.json });
  const proposal = await proposeCancel({
    ctx: runtime.proposalContext(reporter.onEvent),
    proposal: args.proposal,
    by: args.by,
    description: args.description || undefined,
  });
  reporter.render((color) => proposalView(proposal, color), proposal);
  return proposal;
}

export default codedAction("release propose cancel", proposeCancelAction);
