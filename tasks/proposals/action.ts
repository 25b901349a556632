import { listProposals } from "../../src/core/proposals/list-proposals.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { queueView } from "../../src/ui/views/review-view.js";

export default releaseAction("release proposals", queueView, async (_args: { json: boolean }, { output, runtime }) => {
  const rt = await runtime();
  return listProposals({ ...rt.proposalContext(output.onEvent), service: await rt.optionalTransactionService() });
});
