import { fileURLToPath } from "node:url";

import hardhatEthersChaiMatchers from "@nomicfoundation/hardhat-ethers-chai-matchers";
import hardhatKeystore from "@nomicfoundation/hardhat-keystore";
import hardhatMocha from "@nomicfoundation/hardhat-mocha";
import hardhatTypechain from "@nomicfoundation/hardhat-typechain";
import { configVariable, type HardhatUserConfig } from "hardhat/config";
import type { HttpNetworkUserConfig } from "hardhat/types/config";
import type { HardhatPlugin } from "hardhat/types/plugins";

import releaseSafety from "hardhat-release-safety";

// Signers with a Ledger sign through @nomicfoundation/hardhat-ledger: an optional dependency,
// because it builds node-hid, which needs libusb (`apt install libusb-1.0-0-dev libudev-dev`).
// Where it is not installed, the project works without it (docs/signers-guide.md).
const LEDGER_PLUGIN = "@nomicfoundation/hardhat-ledger";
const ledger = await import(LEDGER_PLUGIN).then(
  (module: { default: HardhatPlugin }) => module.default,
  () => undefined,
);

// The compiler comes from the pinned `solc` npm package (WASM): no download, the same bytes on
// every machine. `version` must equal the package's version.
const solc = {
  version: "0.8.37",
  path: fileURLToPath(import.meta.resolve("solc/soljson.js")),
};

// Well-known Hardhat test accounts (mnemonic "test test ... junk"): #1-#3 own the owners Safe,
// #4-#5 the guardian Safe; #0 deploys and ends up with no role anywhere.
const ACCOUNTS = [
  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
] as const;

const localRelease = {
  owners: { owners: [ACCOUNTS[1], ACCOUNTS[2], ACCOUNTS[3]], threshold: 2 },
  guardian: { owners: [ACCOUNTS[4], ACCOUNTS[5]], threshold: 1 },
  timelock: { minDelay: 3600 },
  rollbackWindow: 86400,
  proxies: {
    // initialize(timelock, guardian, rollbackWindow, depositCap): the tool supplies the first three.
    Vault: { contract: "VaultV1", args: ["100000000000000000000"] },
  },
};

// A public testnet, as a team would configure it: RPC URLs and the deployer key from the keystore
// (`npx hardhat keystore set SEPOLIA_RPC_URL`...), a fallback endpoint, and an owner who signs
// with a Ledger (`release sign <proposal> --signer <address> --network sepolia`).
const sepolia: HttpNetworkUserConfig & { ledgerAccounts: string[] } = {
  type: "http",
  chainType: "l1",
  url: configVariable("SEPOLIA_RPC_URL"),
  fallbackUrls: [configVariable("SEPOLIA_RPC_URL_2")],
  accounts: [configVariable("SEPOLIA_DEPLOYER_KEY")],
  ledgerAccounts: [ACCOUNTS[1]],
};

const config: HardhatUserConfig = {
  // The toolkit brings hardhat-ethers, -network-helpers, -verify and OpenZeppelin's upgrades with
  // it; the rest serve this repository's own tests and secrets.
  plugins: [
    releaseSafety,
    hardhatKeystore,
    hardhatMocha,
    hardhatEthersChaiMatchers,
    hardhatTypechain,
    ...(ledger === undefined ? [] : [ledger]),
  ],
  solidity: {
    // The stock timelock, which tests compare with ReleaseTimelock (the toolkit adds what it deploys).
    npmFilesToBuild: ["@openzeppelin/contracts/governance/TimelockController.sol"],
    profiles: {
      default: { ...solc, settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" } },
      production: { ...solc, settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" } },
    },
  },
  networks: { sepolia },
  // The suite is mostly CLI runs against hardhat nodes, each its own process that also waits on
  // its node: three mocha workers keep both cores busy (measured: 9.0 min against 9.7 with two).
  // Every test file starts its own nodes and servers on free ports.
  test: { mocha: { parallel: true, jobs: 3 } },
  // `release verify` submits through hardhat-verify. The key is read only when Etherscan is used
  // (store it with `npx hardhat keystore set ETHERSCAN_API_KEY`); chains missing from Hardhat's
  // built-in list need a `chainDescriptors` entry (README, "Verification").
  verify: { etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") } },
  chainDescriptors: {
    // `release rehearse` forks the live chain. A `hardhat node` (chainId 31337) is not among the
    // chains EDR knows, so it must be told which rules the node's blocks follow (its default,
    // osaka, from genesis). Public chains need no entry.
    31337: { name: "Hardhat node", hardforkHistory: { osaka: { blockNumber: 0 } } },
  },
  release: {
    networks: {
      default: localRelease,
      localhost: localRelease,
      // Signers approve in Safe{Wallet}: `release push` queues proposals in Safe's hosted
      // Transaction Service (`npx hardhat keystore set SAFE_API_KEY`); `release pull` brings
      // their confirmations back.
      sepolia: { ...localRelease, transactionService: { apiKey: configVariable("SAFE_API_KEY") } },
    },
  },
};

export default config;
