import { executeProposal } from "../../src/core/proposals/execute-proposal.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { executeView } from "../../src/ui/views/proposal-view.js";
import { parseAcknowledge, parseMaxFee, required } from "../options.js";

interface Args {
  proposal?: string;
  urgent: boolean;
  maxFee?: string;
  acknowledge?: string;
  json: boolean;
}

export default releaseAction("release execute", executeView, async (args: Args, { output, runtime }) => {
  const rt = await runtime();
  return executeProposal({
    ctx: rt.proposalContext(output.onEvent),
    // --urgent lifts the fee cap for this transaction only: an emergency pause must never wait.
    tx: await rt.txContext(output.onEvent, {
      urgent: args.urgent,
      ...(args.maxFee === undefined ? {} : { maxFeePerGas: parseMaxFee(args.maxFee) }),
    }),
    proposal: required(args.proposal, "<proposal>"),
    urgent: args.urgent,
    acknowledge: parseAcknowledge(args.acknowledge, "release execute"),
  });
});
