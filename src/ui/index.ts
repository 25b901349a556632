/**
 * The toolkit's renderer (`hardhat-release-safety/ui`), for scripts that print what the commands
 * print: one Output, one view per result.
 */
export { Output, type View, type ViewContext, type Format } from "./output.js";
export { statusView, deployView } from "./views/status-view.js";
export { proposalView, signView, executeView } from "./views/proposal-view.js";
export { reviewView, queueView, exportView } from "./views/review-view.js";
export { rehearsalView } from "./views/rehearsal-view.js";
export { gasEstimateView, rpcHealthView } from "./views/gas-view.js";
export { verifyView, codeCheckView } from "./views/verify-view.js";
export { benchView, type BenchSection } from "./views/bench-view.js";
export { formatTime, formatGas, table } from "./format.js";
