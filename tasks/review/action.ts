import { reviewFollowingChain } from "../../src/core/review/review-proposal.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { reviewView } from "../../src/ui/views/review-view.js";
import { required } from "../options.js";

export default releaseAction(
  "release review",
  reviewView,
  async (args: { proposal?: string; json: boolean; markdown: boolean }, { output, runtime }) => {
    const rt = await runtime();
    const proposal = required(args.proposal, "<proposal>");
    return reviewFollowingChain(rt.proposalContext(output.onEvent), proposal, await rt.optionalTransactionService());
  },
);
