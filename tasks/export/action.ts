import { ERRORS, ReleaseError } from "../../src/core/errors.js";
import { exportProposal } from "../../src/core/proposals/export-tx-builder.js";
import { writeFileAtomic } from "../../src/core/records/json-file.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { exportView } from "../../src/ui/views/review-view.js";
import { parseAcknowledge, required } from "../options.js";

const FORMATS = ["tx-builder"];

interface ExportArgs {
  proposal?: string;
  format: string;
  out?: string;
  acknowledge?: string;
  json: boolean;
}

export default releaseAction("release export", exportView, async (args: ExportArgs, { output, runtime }) => {
  // Checked before touching the network: a typo must not cost an RPC round trip.
  if (!FORMATS.includes(args.format)) {
    throw new ReleaseError(ERRORS.PROPOSAL.UNSUPPORTED_EXPORT_FORMAT, {
      format: args.format,
      supported: FORMATS.join(", "),
    });
  }
  const id = required(args.proposal, "<proposal>");
  const acknowledge = parseAcknowledge(args.acknowledge, "release export");
  const rt = await runtime();
  const ctx = rt.proposalContext(output.onEvent);
  const result = await exportProposal({ ctx, proposal: id, createdAt: Date.now(), acknowledge });
  if (args.out !== undefined) await writeFileAtomic(args.out, `${JSON.stringify(result.batch, null, 2)}\n`);
  return { ...result, file: args.out ?? null };
});
