import { deployStack } from "../../src/core/governance/deploy-stack.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { deployView } from "../../src/ui/views/status-view.js";

export default releaseAction(
  "release deploy",
  deployView,
  async (_args: { json: boolean }, { hre, output, runtime }) => {
    // Deploy what the sources say now, never stale artifacts (a no-op when nothing changed).
    await hre.tasks.getTask("build").run({ quiet: true });
    const rt = await runtime();
    output.heading(`Deploying the governed stack on ${rt.network}`);
    return deployStack({
      network: rt.network,
      config: rt.networkConfig(),
      ctx: await rt.txContext(output.onEvent),
      artifacts: rt.artifacts,
      validateImplementation: rt.validateImplementation,
    });
  },
);
