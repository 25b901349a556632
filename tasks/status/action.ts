import { readStackStatus } from "../../src/core/governance/read-stack-status.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { statusView } from "../../src/ui/views/status-view.js";

export default releaseAction("release status", statusView, async (_args: { json: boolean }, { output, runtime }) => {
  const rt = await runtime();
  return readStackStatus({
    ...rt.proposalContext(output.onEvent),
    compiled: rt.compiledCode,
    service: await rt.optionalTransactionService(),
  });
});
