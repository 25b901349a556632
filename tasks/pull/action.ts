import { ERRORS, ReleaseError } from "../../src/core/errors.js";
import { pullConfirmations } from "../../src/core/service/pull-confirmations.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { pullView } from "../../src/ui/views/service-view.js";
import { required } from "../options.js";

interface Args {
  proposal?: string;
  all: boolean;
  json: boolean;
}

export default releaseAction("release pull", pullView, async (args: Args, { output, runtime }) => {
  if (args.all && args.proposal !== undefined) {
    throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
      option: "--all",
      value: `given with ${args.proposal}`,
      reason: "pull either one proposal or --all",
      task: "release pull",
    });
  }
  const proposal = args.all ? undefined : required(args.proposal, "<proposal> (or --all)");
  const rt = await runtime();
  return pullConfirmations({
    ctx: rt.proposalContext(output.onEvent),
    service: await rt.transactionService(),
    proposal,
    all: args.all,
  });
});
