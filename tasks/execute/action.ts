import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { executeProposal } from "../../src/core/proposals/execute-proposal.js";
import { openRuntime } from "../../src/plugin/runtime.js";
import { executeView } from "../../src/ui/proposal-view.js";
import { Reporter } from "../../src/ui/reporter.js";
import { parseAcknowledge, parseMaxFee } from "../options.js";
import { codedAction } from "../../src/plugin/coded-action.js";

async function executeAction(
  args: { proposal: string; urgent: boolean; maxFee: string; acknowledge: string; json: boolean },
  hre: HardhatRuntimeEnvironment,
) {
  const runtime = await openRuntime(hre);
  const reporter = new Reporter({ json: args.json });
  const result = await executeProposal({
    ctx: runtime.proposalContext(reporter.onEvent),
    // --urgent lifts the fee cap for this transaction only: an emergency pause must never wait.
    tx: await runtime.txContext(reporter.onEvent, {
      urgent: args.urgent,
      ...(args.maxFee === "" ? {} : { maxFeePerGas: parseMaxFee(args.maxFee) }),
    }),
    proposal: args.proposal,
    urgent: args.urgent,
    acknowledge: parseAcknowledge(args.acknowledge, "release execute"),
  });
  reporter.render((color) => executeView(result, color), result);
  return result;
}

export default codedAction("release execute", executeAction);
