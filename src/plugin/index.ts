import { emptyTask } from "hardhat/config";
import type { HardhatPlugin } from "hardhat/types/plugins";

import "./type-extensions.js";
import { PROPOSAL_KINDS } from "../core/proposals/kinds/registry.js";
import { proposeTasks } from "./propose-tasks.js";
import deployTask from "../../tasks/deploy/index.js";
import gasTask from "../../tasks/gas/index.js";
import rpcHealthTask from "../../tasks/rpc-health/index.js";
import executeTask from "../../tasks/execute/index.js";
import exportTask from "../../tasks/export/index.js";
import proposalsTask from "../../tasks/proposals/index.js";
import pullTask from "../../tasks/pull/index.js";
import pushTask from "../../tasks/push/index.js";
import reviewTask from "../../tasks/review/index.js";
import rehearseTask from "../../tasks/rehearse/index.js";
import signTask from "../../tasks/sign/index.js";
import statusTask from "../../tasks/status/index.js";
import verifyTask from "../../tasks/verify/index.js";
import watchTask from "../../tasks/watch/index.js";

/**
 * The release safety toolkit as a Hardhat 3 plugin: `plugins: [releaseSafety]` in hardhat.config.ts
 * (it brings hardhat-ethers, hardhat-network-helpers, hardhat-verify and hardhat-upgrades along).
 */
const releaseSafety: HardhatPlugin = {
  id: "release-safety",
  // Loaded with the plugin: a project enables the toolkit with this one entry in `plugins`.
  dependencies: () => [
    import("@nomicfoundation/hardhat-ethers"),
    import("@nomicfoundation/hardhat-network-helpers"),
    import("@nomicfoundation/hardhat-verify"),
    import("@openzeppelin/hardhat-upgrades"),
  ],
  hookHandlers: {
    config: () => import("./hooks/config.js"),
    network: () => import("./hooks/network.js"),
  },
  tasks: [
    emptyTask("release", "Governed releases of upgradeable contracts").build(),
    emptyTask(["release", "propose"], `Draft a proposal: ${proposalCommands()}`).build(),
    ...proposeTasks(),
    deployTask,
    statusTask,
    rpcHealthTask,
    gasTask,
    verifyTask,
    signTask,
    executeTask,
    rehearseTask,
    reviewTask,
    exportTask,
    pushTask,
    pullTask,
    proposalsTask,
    watchTask,
  ],
};

export default releaseSafety;

function proposalCommands(): string {
  return PROPOSAL_KINDS.filter((k) => k.command !== false)
    .map((k) => k.name)
    .join(", ");
}
