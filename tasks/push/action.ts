import { pushProposal } from "../../src/core/service/push-proposal.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { pushView } from "../../src/ui/views/service-view.js";
import { parseAcknowledge, required } from "../options.js";

interface Args {
  proposal?: string;
  acknowledge?: string;
  json: boolean;
}

export default releaseAction("release push", pushView, async (args: Args, { output, runtime }) => {
  const proposal = required(args.proposal, "<proposal>");
  const acknowledge = parseAcknowledge(args.acknowledge, "release push");
  const rt = await runtime();
  return pushProposal({
    ctx: rt.proposalContext(output.onEvent),
    service: await rt.transactionService(),
    proposal,
    acknowledge,
  });
});
