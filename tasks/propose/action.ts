import { propose } from "../../src/core/proposals/propose.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { proposalView } from "../../src/ui/views/proposal-view.js";

/**
 * `release propose <kind>`: every kind's command runs this action; the kind comes from the task's
 * hidden `proposalKind` option (src/plugin/propose-tasks.ts), its options from the kind module.
 */
export default releaseAction(
  "release propose",
  proposalView,
  async (args: { proposalKind: string; json: boolean } & Record<string, unknown>, { hre, output, runtime }) => {
    const { proposalKind, json: _json, ...options } = args;
    // Draft against what the sources say now (an upgrade deploys the implementation it names).
    await hre.tasks.getTask("build").run({ quiet: true });
    const rt = await runtime();
    return propose({
      ctx: rt.proposalContext(output.onEvent),
      kind: proposalKind,
      options: options as Record<string, string | boolean | undefined>,
      tx: () => rt.txContext(output.onEvent),
      checkUpgrade: rt.checkUpgrade,
    });
  },
);
