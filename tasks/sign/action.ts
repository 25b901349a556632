import { signProposal } from "../../src/core/proposals/sign-proposal.js";
import { createTypedDataSigner, listAccounts } from "../../src/plugin/proposal-deps.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { signView } from "../../src/ui/views/proposal-view.js";
import { parseAcknowledge, required } from "../options.js";

interface Args {
  proposal?: string;
  signer?: string;
  signature?: string;
  acknowledge?: string;
  json: boolean;
}

export default releaseAction("release sign", signView, async (args: Args, { output, runtime }) => {
  const rt = await runtime();
  return signProposal({
    ctx: rt.proposalContext(output.onEvent),
    proposal: required(args.proposal, "<proposal>"),
    signer: args.signer,
    signature: args.signature,
    acknowledge: parseAcknowledge(args.acknowledge, "release sign"),
    accounts: () => listAccounts(rt.connection),
    signTypedData: createTypedDataSigner(rt.connection),
  });
});
