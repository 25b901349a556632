import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { proposePauseAction, type PauseArgs } from "../pause-action.js";
import { codedAction } from "../../../src/plugin/coded-action.js";

export default codedAction("release propose unpause", async (args: PauseArgs, hre: HardhatRuntimeEnvironment) =>
  proposePauseAction("unpause", args, hre),
);
