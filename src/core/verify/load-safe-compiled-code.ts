import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import type { Hex } from "../records/stack-record.js";
import { loadSafeArtifact, type SafeContractName } from "../safe/safe-artifacts.js";
import type { CompiledCode, ImmutableReferences } from "./compiled-code.js";

const require = createRequire(import.meta.url);
/** The package's Hardhat 2 artifacts folder: `<root>/<source name>/<contract>.json`. */
const ROOT = path.resolve(
  path.dirname(require.resolve("@safe-global/safe-contracts/build/artifacts/contracts/Safe.sol/Safe.json")),
  "../..",
);
const cache = new Map<string, CompiledCode>();

/**
 * Safe v1.4.1 as Safe compiled it (the npm package's artifacts), for the local bytecode match of
 * the canonical Safe contracts and of Safe proxies. Hardhat 2 artifacts carry no
 * `immutableReferences`; for the two contracts that have immutables (MultiSend and
 * SimulateTxAccessor store their own address) they are read from the package's build info.
 */
export function loadSafeCompiledCode(name: SafeContractName | "SafeProxy"): CompiledCode {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const artifact = loadSafeArtifact(name) as ReturnType<typeof loadSafeArtifact> & { sourceName: string };
  const compiled: CompiledCode = {
    contractName: artifact.contractName,
    fullyQualifiedName: `${artifact.sourceName}:${artifact.contractName}`,
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    deployedBytecode: artifact.deployedBytecode,
    immutableReferences: readImmutableReferences(artifact.sourceName, artifact.contractName, artifact.deployedBytecode),
  };
  cache.set(name, compiled);
  return compiled;
}

function readImmutableReferences(sourceName: string, contractName: string, deployed: Hex): ImmutableReferences {
  // A zero-filled PUSH32 is how solc leaves an immutable slot in the artifact; without one there is nothing to find.
  if (!deployed.includes(`7f${"00".repeat(32)}`)) return {};
  const folder = path.join(ROOT, sourceName);
  const dbg = JSON.parse(readFileSync(path.join(folder, `${contractName}.dbg.json`), "utf8")) as { buildInfo: string };
  const buildInfo = JSON.parse(readFileSync(path.resolve(folder, dbg.buildInfo), "utf8")) as {
    output: {
      contracts: Record<
        string,
        Record<string, { evm: { deployedBytecode: { immutableReferences?: ImmutableReferences } } }>
      >;
    };
  };
  return buildInfo.output.contracts[sourceName]?.[contractName]?.evm.deployedBytecode.immutableReferences ?? {};
}
