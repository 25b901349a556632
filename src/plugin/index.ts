import { emptyTask } from "hardhat/config";
import type { HardhatPlugin } from "hardhat/types/plugins";

import "./type-extensions.js";
import deployTask from "../../tasks/deploy/index.js";
import statusTask from "../../tasks/status/index.js";

/**
 * The release safety toolkit as a Hardhat 3 plugin. Load it in `plugins` of hardhat.config.ts,
 * after hardhat-ethers, hardhat-network-helpers and @openzeppelin/hardhat-upgrades.
 */
const releaseSafety: HardhatPlugin = {
  id: "release-safety",
  hookHandlers: {
    config: () => import("./hooks/config.js"),
  },
  tasks: [emptyTask("release", "Governed releases of upgradeable contracts").build(), deployTask, statusTask],
};

export default releaseSafety;
