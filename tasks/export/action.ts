import { ERRORS, ReleaseError } from "../../src/core/errors.js";
import { exportTxBuilder } from "../../src/core/proposals/export-tx-builder.js";
import { writeFileAtomic } from "../../src/core/records/json-file.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { exportView } from "../../src/ui/views/review-view.js";
import { required } from "../options.js";

const FORMATS = ["tx-builder"];

interface ExportArgs {
  proposal?: string;
  format: string;
  out?: string;
  json: boolean;
}

export default releaseAction("release export", exportView, async (args: ExportArgs, { runtime }) => {
  // Checked before touching the network: a typo must not cost an RPC round trip.
  if (!FORMATS.includes(args.format)) {
    throw new ReleaseError(ERRORS.PROPOSAL.UNSUPPORTED_EXPORT_FORMAT, {
      format: args.format,
      supported: FORMATS.join(", "),
    });
  }
  const rt = await runtime();
  const id = required(args.proposal, "<proposal>");
  const proposal = await rt.records.readProposal(id);
  if (proposal === undefined)
    throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROPOSAL, { proposal: id, network: rt.network });
  const chainId = Number((await rt.connection.ethers.provider.getNetwork()).chainId);
  const result = exportTxBuilder({ proposal, network: rt.network, chainId, createdAt: Date.now() });
  if (args.out !== undefined) await writeFileAtomic(args.out, `${JSON.stringify(result.batch, null, 2)}\n`);
  return { ...result, file: args.out ?? null };
});
