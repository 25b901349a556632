import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { proposePauseAction, type PauseArgs } from "../pause-action.js";

export default (args: PauseArgs, hre: HardhatRuntimeEnvironment) => proposePauseAction("pause", args, hre);
